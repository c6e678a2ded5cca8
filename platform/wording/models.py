"""The province's word lists (public schema): terms with their kind and correct form, and leaders.

Kept by the province in the console (wording.actions, audited); every site is checked against the
same lists and no site can change them. A term is stored as typed and in its normalised form
(wording.normalise), which is unique: 中华人民共合国 and 中華人民共合國 are one term.
"""

from django.db import models

from .normalise import normalise_term


class Kind(models.TextChoices):
    SERIOUS = "serious", "严重错误"
    SUSPECT = "suspect", "疑似错误"


class Term(models.Model):
    text = models.CharField("词语", max_length=100)
    normalised = models.CharField("规范化形式", max_length=100, unique=True, editable=False)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    correct = models.CharField("正确写法", max_length=200, blank=True, help_text="严重错误必须填写")
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.CharField("更新人", max_length=150, blank=True)

    class Meta:
        verbose_name = "错敏词"
        verbose_name_plural = "错敏词"
        ordering = ["kind", "text"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.normalised = normalise_term(self.text)
        super().save(*args, **kwargs)


class Leader(models.Model):
    """A leader of the province as publications must name them: name, title, and rank in a list of leaders."""

    name = models.CharField("姓名", max_length=20)
    title = models.CharField("职务", max_length=50)
    rank = models.PositiveSmallIntegerField("排序", help_text="同时出现时的先后顺序，数字小的在前")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.CharField("更新人", max_length=150, blank=True)

    class Meta:
        verbose_name = "领导姓名职务"
        verbose_name_plural = "领导姓名职务"
        ordering = ["rank", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "title"], name="wording_leader_name_title")]

    def __str__(self):
        return f"{self.title}{self.name}"


class ScanRun(models.Model):
    """One re-scan of every live item of every site against the lists (nightly, and after a list changed).

    Resumable: a site done is a SiteScan row of the run; `scan_wording` carries on with the sites left."""

    requested_at = models.DateTimeField("请求时间", auto_now_add=True)
    reason = models.CharField("原因", max_length=100)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    sites_total = models.PositiveIntegerField("站点数", default=0)

    class Meta:
        verbose_name = "错敏词全量复查"
        verbose_name_plural = "错敏词全量复查"
        get_latest_by = "requested_at"

    def __str__(self):
        return f"{self.reason} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def sites_done(self):
        return self.sites.count()


class SiteScan(models.Model):
    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="sites")
    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="+")
    finished_at = models.DateTimeField(auto_now_add=True)
    items = models.PositiveIntegerField(default=0)
    findings = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "site"], name="wording_one_scan_per_site_and_run")]

    def __str__(self):
        return f"{self.run_id} {self.site_id}"


class Finding(models.Model):
    """A hit in a live item of a site, as the latest scan of that item found it: the site's to-do list,
    and the dashboard's 严重错误 veto. Replaced whenever the item is published or scanned again."""

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="wording_findings")
    page_id = models.PositiveIntegerField("页面", null=True, blank=True)  # in the site's schema
    message_code = models.CharField("留言查询码", max_length=20, blank=True)  # a published mailbox exchange
    title = models.CharField("标题", max_length=255)
    url = models.CharField("地址", max_length=600, blank=True)
    field = models.CharField("位置", max_length=100)
    kind = models.CharField("类别", max_length=10)
    rule = models.CharField("规则", max_length=20)
    found = models.CharField("发现的内容", max_length=200)
    correct = models.CharField("正确写法", max_length=200, blank=True)
    before = models.CharField(max_length=40, blank=True)
    after = models.CharField(max_length=40, blank=True)
    found_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "错敏词检查结果"
        verbose_name_plural = "错敏词检查结果"
        indexes = [models.Index(fields=["site", "kind"], name="wording_finding_site_kind"),
                   models.Index(fields=["site", "page_id"], name="wording_finding_site_page")]

    def __str__(self):
        return f"{self.site_id} {self.found}"
