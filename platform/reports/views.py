"""The gatherings (public pages) of this site's and the sites below its reports, for one year:
年度报表汇总 under /ndbb/, 政府信息公开工作年度报告汇总 under /gknb/."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from library.models import ReportKind

from . import disclosure_figures
from .figures import FIRST_YEAR, ReportYearError, check_year
from .gathering import columns, gather, has_sites_below

PAGES = {
    ReportKind.WEBSITE: {
        "template": "reports/gathering.html", "url_name": "annual_reports_year", "first_year": FIRST_YEAR,
        "column": {"name": "年度报表汇总", "type": "其他", "description": "本级及下级政府网站工作年度报表",
                   "keywords": "年度报表"},
    },
    ReportKind.DISCLOSURE: {
        "template": "reports/disclosure_gathering.html", "url_name": "disclosure_reports_year",
        "first_year": disclosure_figures.FIRST_YEAR,
        "column": {"name": "政府信息公开工作年度报告汇总", "type": "政府信息公开",
                   "description": "本级及下级政府信息公开工作年度报告", "keywords": "政府信息公开 年度报告"},
    },
}


def _site_with_sites_below(request):
    site = getattr(request, "site_tenant", None)
    if site is None or not has_sites_below(site):
        raise Http404("本站没有下级网站")
    return site


@require_safe
def latest(request, kind=ReportKind.WEBSITE):
    """The year whose reports are due now: last year (they are published by 31 January or 31 March)."""
    _site_with_sites_below(request)
    return redirect(PAGES[kind]["url_name"], year=timezone.localdate().year - 1)


@require_safe
def year_view(request, year, kind=ReportKind.WEBSITE):
    site = _site_with_sites_below(request)
    page = PAGES[kind]
    context = {"column": page["column"], "year": year, "site": site}
    try:
        check_year(year, first=page["first_year"])
    except ReportYearError as exc:
        return render(request, page["template"], {**context, "error": str(exc)}, status=404)
    published, missing = gather(site, year, kind)
    today = timezone.localdate()
    years = range(today.year - 1, max(today.year - 6, page["first_year"] - 1), -1)
    return render(request, page["template"], {
        **context, "published": published, "missing": missing, "columns": columns(kind), "years": years,
    })
