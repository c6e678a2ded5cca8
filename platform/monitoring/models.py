"""Each site's inspection indicators, precomputed (public schema), and one snapshot per site and day.

The console's dashboard reads only these rows: for 3,000 sites it is one query, however
much content the sites hold. monitoring.indicators computes them; monitoring.signals and
the `compute_indicators` job keep them current.
"""

from django.db import models


class SiteHealth(models.Model):
    site = models.OneToOneField("tenants.GovSite", on_delete=models.CASCADE, related_name="health")
    computed_at = models.DateTimeField("计算时间")
    # How many national single-item vetoes the site fails now, and the fewest days before one more fires.
    vetoes = models.PositiveSmallIntegerField("否决项", default=0, db_index=True)
    warnings = models.PositiveSmallIntegerField("预警项", default=0)
    days_left = models.IntegerField("最近否决剩余天数", null=True)
    # [{key, label, value, unit, threshold, days_left, vetoed, warning, detail: [...]}]: see indicators.py.
    indicators = models.JSONField(default=list)

    class Meta:
        verbose_name = "站点健康"
        verbose_name_plural = "站点健康"
        indexes = [models.Index(fields=["-vetoes", "days_left"], name="monitoring_league")]

    def __str__(self):
        return f"{self.site_id} {self.vetoes} 项否决"

    def indicator(self, key):
        return next((i for i in self.indicators if i["key"] == key), None)


class HealthSnapshot(models.Model):
    """The indicators' values of one site on one day (the last computation of that day), for trends."""

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="health_history")
    day = models.DateField(db_index=True)
    vetoes = models.PositiveSmallIntegerField(default=0)
    values = models.JSONField(default=dict)  # {indicator key: value}

    class Meta:
        verbose_name = "健康快照"
        verbose_name_plural = "健康快照"
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="one_health_snapshot_per_day")]

    def __str__(self):
        return f"{self.site_id} {self.day}"


class ProbeDay(models.Model):
    """One site's availability probes on one day (monitoring.probes): counters, not a row per probe.

    The national rule: probed 20+ times a day for a week, a site fails when 5% or more of the
    probes did not load within 15 s.
    """

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="probe_days")
    day = models.DateField(db_index=True)
    probes = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)  # no answer within the limit, a network error or a 4xx/5xx
    total_ms = models.BigIntegerField(default=0)
    slowest_ms = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    last_failure_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "可用性监测"
        verbose_name_plural = "可用性监测"
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="one_probe_day_per_site")]

    def __str__(self):
        return f"{self.site_id} {self.day} {self.failures}/{self.probes}"


class AlertSent(models.Model):
    """An alert mailed about one indicator of one site on one day: never more than one a day per condition."""

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="alerts_sent")
    key = models.CharField(max_length=40)
    day = models.DateField()
    vetoed = models.BooleanField(default=False)  # fired, or only close to firing
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "预警记录"
        verbose_name_plural = "预警记录"
        constraints = [models.UniqueConstraint(fields=["site", "key", "day"], name="one_alert_per_condition_per_day")]

    def __str__(self):
        return f"{self.site_id} {self.key} {self.day}"


class CrawlRun(models.Model):
    """One crawl of one site by the link checker (monitoring.crawler)."""

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="crawl_runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    pages = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(default=0)
    broken = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "链接检测"
        verbose_name_plural = "链接检测"
        get_latest_by = "finished_at"

    def __str__(self):
        return f"{self.site_id} {self.finished_at:%Y-%m-%d %H:%M} {self.broken}"


class BrokenLink(models.Model):
    """A link found broken by the site's latest crawl (replaced at every crawl)."""

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="broken_links")
    url = models.CharField(max_length=600)
    found_on = models.CharField("所在页面", max_length=600, blank=True)
    status = models.PositiveSmallIntegerField(null=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "不可用链接"
        verbose_name_plural = "不可用链接"

    def __str__(self):
        return f"{self.site_id} {self.url}"


class TrackedApplication(models.Model):
    """An application for disclosure of some site, as the province follows it: its clock and outcome,
    no personal data (name, identity, contact stay in the site's schema, for its office only).

    Kept in step by monitoring.applications on every save of the site's Application, and rebuilt
    from the site's schema whenever its indicators are computed (a missed update heals by night).
    """

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="tracked_applications")
    application_id = models.PositiveIntegerField("申请编号")  # its pk in the site's schema
    tracking_code = models.CharField("查询码", max_length=20)
    info_title = models.CharField("所需信息的名称", max_length=200)
    applicant_kind = models.CharField("申请人类型", max_length=20)
    channel = models.CharField("申请渠道", max_length=20)
    received_on = models.DateField("收到申请日期")
    due_date = models.DateField("答复期限")
    status = models.CharField("状态", max_length=20)
    result = models.CharField("答复结果", max_length=20, blank=True)
    reason = models.CharField("具体情形", max_length=30, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)

    class Meta:
        verbose_name = "政府信息公开申请（全省）"
        verbose_name_plural = "政府信息公开申请（全省）"
        constraints = [models.UniqueConstraint(fields=["site", "application_id"], name="one_row_per_application")]
        indexes = [models.Index(fields=["status", "due_date"], name="monitoring_application_clock"),
                   models.Index(fields=["received_on"], name="monitoring_application_day")]

    def __str__(self):
        return f"{self.site_id} {self.tracking_code}"


class TamperWatch(models.Model):
    """Where the tamper probe (monitoring.tamper) is in one site's pages: each run checks the home page,
    the next columns after `column_cursor` and the next item after `item_cursor` (page ids in the
    site's schema), so over the runs every column and item is fetched in turn."""

    site = models.OneToOneField("tenants.GovSite", on_delete=models.CASCADE, related_name="tamper_watch")
    column_cursor = models.PositiveIntegerField(default=0)
    item_cursor = models.PositiveIntegerField(default=0)
    last_run_at = models.DateTimeField("最近检测", null=True)
    pages_checked = models.PositiveBigIntegerField("已检测页面数", default=0)
    last_error = models.CharField("最近的问题", max_length=200, blank=True)

    class Meta:
        verbose_name = "防篡改监测"
        verbose_name_plural = "防篡改监测"

    def __str__(self):
        return f"{self.site_id} {self.pages_checked}"


class TamperIncident(models.Model):
    """A page citizens received that differs from what the platform published, with no publish to
    explain it (monitoring.tamper). Open until an administrator closes it with a note: while any is
    open the site fails the 安全 veto."""

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="tamper_incidents")
    url = models.CharField("页面地址", max_length=600)
    opened_at = models.DateTimeField("发现时间", auto_now_add=True, db_index=True)
    last_seen_at = models.DateTimeField("最近一次发现")
    times_seen = models.PositiveIntegerField("发现次数", default=1)
    # What the platform renders (the app node, directly) and what came through the public address,
    # both with the theme's dynamic parts taken out (monitoring.tamper.normalise), cut to a size.
    expected = models.TextField("应为")
    served = models.TextField("实际收到")
    served_status = models.PositiveSmallIntegerField("实际状态码", null=True)
    # After the edge copy was cleared and fetched again: did the public address serve the right page?
    restored = models.BooleanField("清除缓存后已恢复", null=True)
    alerted = models.PositiveIntegerField("已通知人数", default=0)
    closed_at = models.DateTimeField("处置时间", null=True, blank=True)
    closed_by = models.CharField("处置人", max_length=150, blank=True)
    close_note = models.TextField("处置说明", blank=True)

    class Meta:
        verbose_name = "网页篡改事件"
        verbose_name_plural = "网页篡改事件"
        constraints = [models.UniqueConstraint(fields=["site", "url"], condition=models.Q(closed_at__isnull=True),
                                               name="one_open_tamper_incident_per_page")]

    def __str__(self):
        return f"{self.site_id} {self.url}"

    @property
    def is_open(self):
        return self.closed_at is None


class TamperPage(models.Model):
    """What the platform last rendered for one page the tamper probe checks (monitoring.tamper): the digest
    of the page as compared, and when it was read from the app node. While no purge of the site came
    after `verified_at`, a public copy with this digest is the published page and the app is not asked."""

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="tamper_pages")
    url = models.CharField("页面地址", max_length=600)
    digest = models.CharField(max_length=64)
    # Of the bytes of the public copy found to be this page: the same bytes again need no parsing.
    raw_digest = models.CharField(max_length=64, blank=True)
    verified_at = models.DateTimeField()

    class Meta:
        verbose_name = "防篡改基准"
        verbose_name_plural = "防篡改基准"
        constraints = [models.UniqueConstraint(fields=["site", "url"], name="one_tamper_baseline_per_page")]

    def __str__(self):
        return self.url
