"""The central resource library (统一信息资源库), in the public schema.

- ResourceItem: one row per published item of every site, kept in step with publishing by
  the sites' search indexing (search/index.py), filled for existing content by `manage.py
  rebuild_search_index`. Province-wide and subtree search and monitoring read it.
- Distribution and Delivery: items pushed down the hierarchy (syndication), stored here
  once and shown by every receiving site from here.
"""

import datetime

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from tenants.models import SiteLevel


class ResourceItem(models.Model):
    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="resources")
    # The site's own key for the item ("page:<id>", "message:<id>"): unique per site.
    source_key = models.CharField(max_length=40)
    kind = models.CharField("类型", max_length=20, db_index=True)
    title = models.CharField("标题", max_length=255)
    summary = models.TextField("摘要", blank=True)
    url = models.URLField("地址", max_length=600)
    column_title = models.CharField("栏目", max_length=255, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, db_index=True)
    title_text = models.TextField(blank=True)
    # Segmented, normalised text (title and body tokens), as the search vector was built from.
    segmented_text = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "信息资源"
        verbose_name_plural = "信息资源库"
        constraints = [models.UniqueConstraint(fields=["site", "source_key"], name="library_item_per_site")]
        indexes = [GinIndex(fields=["search_vector"], name="library_vector_gin")]

    def __str__(self):
        return f"{self.site_id} {self.title}"


class QueryStat(models.Model):
    """How often a query was searched on a site on a day, and how often it found nothing.

    Anonymous by construction: no address, no session, no time of day; one counter row
    per (site, day, normalised query). Editors see their site's rows, provincial admins all.
    """

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="query_stats")
    day = models.DateField(db_index=True)
    query = models.CharField(max_length=100)
    searches = models.PositiveIntegerField(default=0)
    zero_results = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "搜索词统计"
        verbose_name_plural = "搜索词统计"
        constraints = [models.UniqueConstraint(fields=["site", "day", "query"], name="library_querystat_per_day")]

    def __str__(self):
        return f"{self.site_id} {self.day} {self.query}"


class Distribution(models.Model):
    """An item a site pushes down the hierarchy (上级信息), stored once for every site that shows it.

    Written in the source site's admin (syndication.actions), from the source page's content
    at each publish: the receiving sites' 转载 pages hold only this row's id and render the body
    from here, so a revision, a withdrawal or a repeal shows on every copy as soon as this row
    commits. `revision` counts those changes; each Delivery records which one its site applied.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "分发中"
        WITHDRAWN = "withdrawn", "已撤回"

    source_site = models.ForeignKey(
        "tenants.GovSite", verbose_name="来源站点", on_delete=models.CASCADE, related_name="distributions"
    )
    # The page in the source site's schema (no database constraint can cross schemas).
    source_page_id = models.IntegerField()
    source_url = models.URLField("原文地址", max_length=600)
    source_name = models.CharField("来源", max_length=100, help_text="发布单位，例如 四川省人民政府")
    kind = models.CharField("类型", max_length=20)
    title = models.CharField("标题", max_length=255)
    summary = models.TextField("摘要", blank=True)
    # The source's rich text as the public sees it, every address made absolute (to the source's host).
    body = models.TextField("正文", blank=True)
    # Policy documents: 信息公开 metadata rows [[label, value], ...]; attachments [{title, url}].
    metadata = models.JSONField("元数据", default=list, blank=True)
    attachments = models.JSONField("附件", default=list, blank=True)
    published_at = models.DateTimeField("原文发布时间", null=True)
    validity = models.CharField("有效性", max_length=20, blank=True)
    validity_note = models.CharField("有效性说明", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    revision = models.PositiveIntegerField("版本", default=1)
    # Which sites below the source receive it: these levels, within this site's subtree.
    target_levels = models.JSONField("接收级别", default=list)
    # Null once that site is deleted: the deliveries made stay, only the record of the range goes.
    target_root = models.ForeignKey(
        "tenants.GovSite", verbose_name="接收范围", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    distributed_by = models.CharField("分发人", max_length=150)
    created_at = models.DateTimeField("分发时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "分发信息"
        verbose_name_plural = "分发信息"
        constraints = [
            models.UniqueConstraint(fields=["source_site", "source_page_id"], name="library_distribution_per_page")
        ]

    def __str__(self):
        return f"{self.source_site_id} {self.title}"

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN


class Delivery(models.Model):
    """One receiving site's copy of a Distribution: whether it shows it, and which revision it has applied.

    `applied_revision` below the distribution's `revision` means the site has something to catch
    up with (syndication.sync): a new item, a revision, a withdrawal. A site that is not running
    (suspended, archived) is skipped and catches up when it runs again.
    """

    class State(models.TextChoices):
        NEW = "new", "待送达"
        PENDING = "pending", "待接收"  # the site reviews what it receives, and has not decided
        ACCEPTED = "accepted", "已接收"
        DECLINED = "declined", "不接收"

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="deliveries")
    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.NEW)
    applied_revision = models.PositiveIntegerField(default=0)
    # The 转载 page in the receiving site's schema, once there is one.
    page_id = models.IntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    decided_by = models.CharField("处理人", max_length=150, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "分发送达"
        verbose_name_plural = "分发送达"
        constraints = [models.UniqueConstraint(fields=["distribution", "site"], name="library_delivery_per_site")]
        indexes = [models.Index(fields=["site", "applied_revision"], name="library_delivery_site")]

    def __str__(self):
        return f"{self.distribution_id} → {self.site_id} {self.state}"

class ReportKind(models.TextChoices):
    WEBSITE = "website", "政府网站工作年度报表"
    DISCLOSURE = "disclosure", "政府信息公开工作年度报告"


def report_due(kind, level, year):
    """The last day to publish `year`'s report of `kind` for a site of `level` (tenants.SiteLevel).

    Both are due by 31 January of the next year, except the disclosure report of a government at
    county level and above: its disclosure office publishes the government's report by 31 March
    (政府信息公开条例 Art. 49; departments and townships report by 31 January).
    """
    if kind == ReportKind.DISCLOSURE and level != SiteLevel.TOWNSHIP:
        return datetime.date(year + 1, 3, 31)
    return datetime.date(year + 1, 1, 31)


class PublishedReport(models.Model):
    """A site's published annual report (reports.AnnualReportPage, reports.DisclosureReportPage): its
    figures, for the sites above it.

    Written when the report is published and removed when it is withdrawn (reports/signals.py), so
    the province's gathering page reads one table instead of every site's schema. Drafts never
    appear here.
    """

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="published_reports")
    kind = models.CharField("报告类别", max_length=20, choices=ReportKind.choices, default=ReportKind.WEBSITE)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=255)
    url = models.URLField("地址", max_length=600)
    published_at = models.DateTimeField("发布时间")
    # {figure key: value} as published (keys of reports.figures.FIGURES or reports.disclosure_figures.FIGURES).
    figures = models.JSONField("报表数据", default=dict)

    class Meta:
        verbose_name = "已发布年度报表"
        verbose_name_plural = "已发布年度报表"
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "year"], name="library_report_per_site_kind_year"),
        ]

    def __str__(self):
        return f"{self.site_id} {self.year}"
