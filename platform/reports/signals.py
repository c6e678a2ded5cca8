"""Keep the sites' published reports (library.PublishedReport, public schema) in step with publishing.

Runs in the schema of the site whose report changed, in the same transaction as the change.
Only a report in its standard place is the site's own (`own_depth`: the website's report under the
home page, the disclosure report under 信息公开 → 政府信息公开年报): a folded township's reports,
copied into a column of its county, stay the township's (their rows keep its site).
"""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from columns.models import path_on_site
from edge.purge import request_purge
from library.models import PublishedReport, ReportKind
from tenants.models import current_site, require_schema
from tenants.signals import site_content_replaced

from .models import AnnualReportPage, DisclosureReportPage

KINDS = {AnnualReportPage: ReportKind.WEBSITE, DisclosureReportPage: ReportKind.DISCLOSURE}
# Where the sites above list a kind's reports.
GATHERING_PATHS = {ReportKind.WEBSITE: "/ndbb/{year}/", ReportKind.DISCLOSURE: "/gknb/{year}/"}


def _is_sites_report(page):
    return page.depth == page.own_depth


def _gatherings_changed(site, kind, year):
    """The sites above show this report in their gathering: clear those pages at the edge too."""
    parent = site.parent
    while parent is not None:
        request_purge(parent, [GATHERING_PATHS[kind].format(year=year)])
        parent = parent.parent


def _store(site, page):
    PublishedReport.objects.update_or_create(
        site=site, kind=KINDS[type(page)], year=page.year,
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
    _gatherings_changed(site, KINDS[sender], instance.year)


@receiver(site_content_replaced)
def resync(sender, site, **kwargs):
    """The site's rows again from its live reports, in its schema: after a restore replaced the schema
    (no publish signal ran), the gatherings above show what the restored site has published."""
    require_schema(site)

    for page_class, kind in KINDS.items():
        live = {page.year: page for page in page_class.objects.live().filter(depth=page_class.own_depth)}
        gone = PublishedReport.objects.filter(site=site, kind=kind).exclude(year__in=live)
        years = {*gone.values_list("year", flat=True), *live}
        gone.delete()
        for page in live.values():
            _store(site, page)
        for year in sorted(years):
            _gatherings_changed(site, kind, year)


def on_unpublish(sender, instance, **kwargs):
    # Deleting a live page unpublishes it first (Wagtail's pre_delete handler): deletions arrive here too.
    site = current_site()
    if site is None or not _is_sites_report(instance):
        return
    PublishedReport.objects.filter(site=site, kind=KINDS[sender], year=instance.year).delete()
    _gatherings_changed(site, KINDS[sender], instance.year)


for _page_class in KINDS:
    page_published.connect(on_publish, sender=_page_class, dispatch_uid=f"reports.on_publish.{_page_class.__name__}")
    page_unpublished.connect(on_unpublish, sender=_page_class,
                             dispatch_uid=f"reports.on_unpublish.{_page_class.__name__}")
