"""访问统计 and 搜索统计 for the province: page views and searches of every site, or of one."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from analytics import stats
from analytics.views import WINDOWS, window
from search import stats as search_statistics
from tenants.models import GovSite, SiteLevel, SiteStatus

from ..access import staff_required

PAGE_SIZE = 100


class RankingForm(forms.Form):
    level = forms.ChoiceField(label="级别", required=False, choices=[("", "全部"), *SiteLevel.choices])
    site = forms.CharField(label="站点区划代码", required=False, max_length=12)


@require_safe
@staff_required
def page_views(request):
    """The province's page views: the total per day, each site ranked, or one site (?site=<region code>)."""
    days = window(request)
    form = RankingForm(request.GET or None)
    site, rows, unknown_site = None, None, False
    if form.is_valid() and form.cleaned_data["site"]:
        site = GovSite.objects.filter(region_code=form.cleaned_data["site"].strip()).first()
        if site is None:
            unknown_site = True
            form.add_error("site", "没有这个区划代码的站点")
    if site is not None:
        summary = stats.summary(site, days)
    else:
        summary = stats.summary(None, days)
        sites = GovSite.objects.exclude(status=SiteStatus.FOLDED).order_by("region_code")
        if form.is_valid() and form.cleaned_data["level"]:
            sites = sites.filter(level=form.cleaned_data["level"])
        rows = Paginator(stats.ranking(list(sites), days), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "console/analytics.html", {
        "form": form, "site": site, "summary": summary, "rows": rows, "windows": WINDOWS, "days": days,
    }, status=404 if unknown_site else 200)


@staff_required
def search_stats(request):
    """Top and zero-result searches of the last 30 days: all sites, or one (?site=<region code>)."""
    code = (request.GET.get("site") or "").strip()
    site = GovSite.objects.filter(region_code=code).first() if code else None
    summary = search_statistics.summary(sites=[site] if site else None)
    return render(request, "console/search_stats.html", {
        "stats": summary, "site": site, "sites": GovSite.objects.order_by("region_code"), "code": code,
    }, status=404 if code and site is None else 200)
