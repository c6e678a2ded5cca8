"""Keep the sites' published reports (library.PublishedReport, public schema) in step with publishing.

Runs in the schema of the site whose report changed, in the same transaction as the change.
Only a report directly under the home page is the site's report: a folded township's reports,
copied into a column of its county, stay the township's (their rows keep its site).
"""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from columns.models import path_on_site
from edge.purge import request_purge
from library.models import PublishedReport
from tenants.models import current_site, require_schema
from tenants.signals import site_content_replaced

from .models import AnnualReportPage


def _is_sites_report(page):
    return page.depth == 3


def _gatherings_changed(site, year):
    """The sites above show this report in their 年度报表汇总: clear those pages at the edge too."""
    parent = site.parent
    while parent is not None:
        request_purge(parent, [f"/ndbb/{year}/"])
        parent = parent.parent


def _store(site, page):
    PublishedReport.objects.update_or_create(
        site=site, year=page.year,
        defaults={
            "title": page.title, "url": (site.base_url() or "") + path_on_site(page.url_path),
            "published_at": page.last_published_at or page.first_published_at,
            "figures": page.figures,
        },
    )


def on_publish(sender, instance, **kwargs):
    site = current_site()
    if site is None or not _is_sites_report(instance):
        return
    _store(site, instance)
    _gatherings_changed(site, instance.year)


@receiver(site_content_replaced)
def resync(sender, site, **kwargs):
    """The site's rows again from its live reports, in its schema: after a restore replaced the schema
    (no publish signal ran), the gatherings above show what the restored site has published."""
    require_schema(site)

    live = {page.year: page for page in AnnualReportPage.objects.live().filter(depth=3)}
    gone = PublishedReport.objects.filter(site=site).exclude(year__in=live)
    years = {*gone.values_list("year", flat=True), *live}
    gone.delete()
    for page in live.values():
        _store(site, page)
    for year in sorted(years):
        _gatherings_changed(site, year)


def on_unpublish(sender, instance, **kwargs):
    # Deleting a live page unpublishes it first (Wagtail's pre_delete handler): deletions arrive here too.
    site = current_site()
    if site is None or not _is_sites_report(instance):
        return
    PublishedReport.objects.filter(site=site, year=instance.year).delete()
    _gatherings_changed(site, instance.year)


page_published.connect(on_publish, sender=AnnualReportPage, dispatch_uid="reports.on_publish")
page_unpublished.connect(on_unpublish, sender=AnnualReportPage, dispatch_uid="reports.on_unpublish")
