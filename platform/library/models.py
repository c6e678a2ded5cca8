"""The central resource library (统一信息资源库): one row per published item of every site.

In the public schema. Kept in step with publishing by the sites' search indexing
(search/index.py), filled for existing content by `manage.py rebuild_search_index`.
Province-wide and subtree search query it; monitoring and syndication will read it
too, so it carries what any of them needs: the site, the absolute URL, the type, the
column, the publication time and the segmented text.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


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


class PublishedReport(models.Model):
    """A site's published 政府网站工作年度报表 (reports.AnnualReportPage): its figures, for the sites above it.

    Written when the report is published and removed when it is withdrawn (reports/signals.py), so
    the province's gathering page reads one table instead of every site's schema. Drafts never
    appear here.
    """

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="published_reports")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=255)
    url = models.URLField("地址", max_length=600)
    published_at = models.DateTimeField("发布时间")
    # {figure key: value} as published (keys of reports.figures.FIGURES).
    figures = models.JSONField("报表数据", default=dict)

    class Meta:
        verbose_name = "已发布年度报表"
        verbose_name_plural = "已发布年度报表"
        constraints = [models.UniqueConstraint(fields=["site", "year"], name="library_report_per_site_year")]

    def __str__(self):
        return f"{self.site_id} {self.year}"
