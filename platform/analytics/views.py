"""The page-view beacon (every site), the editors' 访问统计 (each site's admin) and the console's overview."""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from tenants.console.views import staff_required
from tenants.models import GovSite, SiteLevel, SiteStatus

from . import stats
from .counting import count_view

PAGE_SIZE = 100
MAX_PAGE_ID = 2**31 - 1  # page ids are PostgreSQL integers: a longer number names no page
WINDOWS = {7: "最近 7 天", 30: "最近 30 天", 90: "最近 90 天", 365: "最近一年"}


@csrf_exempt  # a beacon carries no form and changes nothing of the visitor's; it sets and reads no cookie
@require_POST
def beacon(request, page_id):
    """Count a view of one of this site's pages. Always 204: a refused count tells a client nothing."""
    # Browsers say where a request comes from; a beacon from another site's page is not a view of ours.
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin" and page_id <= MAX_PAGE_ID:
        count_view(request.site_tenant, page_id)
    return HttpResponse(status=204)


def _window(request):
    try:
        days = int(request.GET.get("days", stats.WINDOW_DAYS))
    except ValueError:
        days = stats.WINDOW_DAYS
    return days if days in WINDOWS else stats.WINDOW_DAYS


@require_safe
def site_admin(request):
    """访问统计 in a site's Wagtail admin: its own figures only (the request's site)."""
    days = _window(request)
    return render(request, "analytics/site_admin.html", {
        "summary": stats.summary(request.site_tenant, days), "windows": WINDOWS, "days": days,
    })


class RankingForm(forms.Form):
    level = forms.ChoiceField(label="级别", required=False, choices=[("", "全部"), *SiteLevel.choices])
    site = forms.CharField(label="站点区划代码", required=False, max_length=12)


@require_safe
@staff_required
def console(request):
    """The province's page views: the total per day, each site ranked, or one site (?site=<region code>)."""
    days = _window(request)
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
    return render(request, "analytics/console.html", {
        "form": form, "site": site, "summary": summary, "rows": rows, "windows": WINDOWS, "days": days,
    }, status=404 if unknown_site else 200)
