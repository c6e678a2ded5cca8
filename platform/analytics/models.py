"""Page views, counted on the server without cookies or personal data: counters per site, page and day.

In the public schema, so the console reads every site's figures in one query. A view is
first one row of PendingView (an insert: a burst of views never queues on one counter's row
lock), folded into two counters (the page's and the site's, for the day) every minute and
before any figure is read (analytics.counting.fold). Nothing about the visitor is stored: no
address, no agent, no time of day, no identifier.
"""

from django.db import models


class SiteViewDay(models.Model):
    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "站点日访问量"
        verbose_name_plural = "站点日访问量"
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="analytics_site_day")]
        indexes = [models.Index(fields=["day"], name="analytics_siteview_day")]

    def __str__(self):
        return f"{self.site_id} {self.day} {self.views}"


class PageViewDay(models.Model):
    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="page_view_days")
    day = models.DateField()
    # The page in the site's schema (no constraint can cross schemas), with its address and title
    # as they were when counted, so the top pages read without visiting every schema.
    page_id = models.IntegerField()
    path = models.CharField(max_length=500)
    title = models.CharField(max_length=255)
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "页面日访问量"
        verbose_name_plural = "页面日访问量"
        constraints = [models.UniqueConstraint(fields=["site", "day", "page_id"], name="analytics_page_day")]

    def __str__(self):
        return f"{self.site_id} {self.day} {self.page_id} {self.views}"


class PendingView(models.Model):
    """One view not yet added to the counters: inserted by the beacon, removed when folded in."""

    site = models.ForeignKey("tenants.GovSite", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    page_id = models.IntegerField()
    path = models.CharField(max_length=500)
    title = models.CharField(max_length=255)

    class Meta:
        verbose_name = "待计入的访问"
        verbose_name_plural = "待计入的访问"

    def __str__(self):
        return f"{self.site_id} {self.day} {self.page_id}"
