"""The sites' published reports gathered on the site above them (the province's 年度报表汇总).

Reads the public schema only (library.PublishedReport): a query per level for the sites (twice:
all of them, and those in service), one for their reports, whatever the number of sites.
"""

from dataclasses import dataclass

from library.models import PublishedReport, ReportKind
from tenants.models import GovSite, SiteStatus, sites_below

from .figures import FIGURES, MAIN_KEYS, display


def has_sites_below(site):
    return GovSite.objects.filter(parent=site, status=SiteStatus.ACTIVE).exists()


@dataclass
class Row:
    site: GovSite
    report: object  # library.PublishedReport or None (not published)

    def cells(self):
        figures = self.report.figures if self.report else {}
        return [display(FIGURES[key], figures.get(key)) for key in MAIN_KEYS]


def gather(site, year):
    """(rows of the reports published for `year` by `site` and the sites below it, sites without one).

    A report stays published when its site is later suspended, archived or folded into its county:
    the site existed that year. Only sites in service (and under sites in service) are listed as
    not having published.
    """
    sites = [site, *sites_below(site)]
    in_service = {site.pk, *(s.pk for s in sites_below(site, statuses=[SiteStatus.ACTIVE]))}
    reports = {r.site_id: r for r in PublishedReport.objects.filter(site__in=sites, kind=ReportKind.WEBSITE, year=year)}
    published = [Row(s, reports[s.pk]) for s in sites if s.pk in reports]
    missing = [s for s in sites if s.pk not in reports and s.pk in in_service]
    return published, missing


def columns():
    return [(FIGURES[key].label, FIGURES[key].unit) for key in MAIN_KEYS]
