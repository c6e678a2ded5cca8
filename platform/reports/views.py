"""年度报表汇总: the reports published by this site and the sites below it, for one year (public pages)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .figures import ReportYearError, check_year
from .gathering import columns, gather, has_sites_below

COLUMN_META = {
    "name": "年度报表汇总", "type": "其他", "description": "本级及下级政府网站工作年度报表", "keywords": "年度报表",
}


def _site_with_sites_below(request):
    site = getattr(request, "site_tenant", None)
    if site is None or not has_sites_below(site):
        raise Http404("本站没有下级网站")
    return site


@require_safe
def latest(request):
    """The year whose reports are due now: last year (they are published by 31 January)."""
    _site_with_sites_below(request)
    return redirect("annual_reports_year", year=timezone.localdate().year - 1)


@require_safe
def year_view(request, year):
    site = _site_with_sites_below(request)
    context = {"column": COLUMN_META, "year": year, "site": site}
    try:
        check_year(year)
    except ReportYearError as exc:
        return render(request, "reports/gathering.html", {**context, "error": str(exc)}, status=404)
    published, missing = gather(site, year)
    today = timezone.localdate()
    years = range(today.year - 1, today.year - 6, -1)
    return render(request, "reports/gathering.html", {
        **context, "published": published, "missing": missing, "columns": columns(), "years": years,
    })
