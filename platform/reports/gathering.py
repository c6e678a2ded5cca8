"""The sites' published reports gathered on the site above them: 年度报表汇总 (/ndbb/<year>/) and
政府信息公开工作年度报告汇总 (/gknb/<year>/).

Reads the public schema only (library.PublishedReport): a query per level for the sites (twice:
all of them, and those in service), one for their reports, whatever the number of sites.
"""

from dataclasses import dataclass

from django.utils import timezone

from library.models import PublishedReport, ReportKind, report_due
from tenants.models import GovSite, SiteStatus, sites_below

from . import disclosure_figures
from .figures import FIGURES, MAIN_KEYS, display


def has_sites_below(site):
    return GovSite.objects.filter(parent=site, status=SiteStatus.ACTIVE).exists()


def _website_cells(figures):
    return [display(FIGURES[key], figures.get(key)) for key in MAIN_KEYS]


def _disclosure_cells(figures):
    totals = disclosure_figures.totals(figures)
    return [totals[key] for key, _label in DISCLOSURE_COLUMNS]


DISCLOSURE_COLUMNS = [
    ("new", "新收申请"), ("carried_in", "上年结转"), ("answered", "本年办结"), ("carried_out", "结转下年"),
    ("reviews", "行政复议"), ("lawsuits", "行政诉讼"),
]
CELLS = {ReportKind.WEBSITE: _website_cells, ReportKind.DISCLOSURE: _disclosure_cells}


@dataclass
class Row:
    site: GovSite
    report: object  # library.PublishedReport or None (not published)
    kind: str
    year: int

    def cells(self):
        return CELLS[self.kind](self.report.figures if self.report else {})

    @property
    def due(self):
        return report_due(self.kind, self.site.level, self.year)

    @property
    def late(self):
        """Published after its day, or not published and its day has passed."""
        if self.report is not None:
            return timezone.localtime(self.report.published_at).date() > self.due
        return timezone.localdate() > self.due


def gather(site, year, kind=ReportKind.WEBSITE):
    """(rows of the reports published for `year` by `site` and the sites below it, rows of the sites
    without one).

    A report stays published when its site is later suspended, archived or folded into its county:
    the site existed that year. Only sites in service (and under sites in service) are listed as
    not having published.
    """
    sites = [site, *sites_below(site)]
    in_service = {site.pk, *(s.pk for s in sites_below(site, statuses=[SiteStatus.ACTIVE]))}
    reports = {r.site_id: r for r in PublishedReport.objects.filter(site__in=sites, kind=kind, year=year)}
    published = [Row(s, reports[s.pk], kind, year) for s in sites if s.pk in reports]
    missing = [Row(s, None, kind, year) for s in sites if s.pk not in reports and s.pk in in_service]
    return published, missing


def columns(kind=ReportKind.WEBSITE):
    if kind == ReportKind.DISCLOSURE:
        return [(label, "件") for _key, label in DISCLOSURE_COLUMNS]
    return [(FIGURES[key].label, FIGURES[key].unit) for key in MAIN_KEYS]
