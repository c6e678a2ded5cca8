"""The page-view beacon (every site) and the editors' 访问统计 (each site's admin); the console has its own page."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from . import stats
from .counting import count_view

MAX_PAGE_ID = 2**31 - 1  # page ids are PostgreSQL integers: a longer number names no page
WINDOWS = {7: "最近 7 天", 30: "最近 30 天", 90: "最近 90 天", 365: "最近一年"}


@csrf_exempt  # a beacon carries no form and changes nothing of the visitor's; it sets and reads no cookie
@require_POST
def beacon(request, page_id):
    """Count a view of one of this site's pages. Always 204: a refused count tells a client nothing."""
    if page_id <= MAX_PAGE_ID and from_own_page(request) and not _too_many(request):
        count_view(request.site_tenant, page_id)
    return HttpResponse(status=204)


def from_own_page(request):
    """The browser says the beacon comes from a page of this very site.

    Browsers send Origin with every POST, and Sec-Fetch-Site too where they support it; a
    script replaying beacons without them (or from elsewhere) is not a reader of the site.
    """
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return False
    return request.headers.get("Origin") == f"{request.scheme}://{request.get_host()}"


def _too_many(request):
    """More beacons from one address than ANALYTICS_BEACON_RATE allows: a script, not people reading."""
    return is_ratelimited(request, group="analytics-beacon", key="ip", rate=settings.ANALYTICS_BEACON_RATE,
                          method="POST", increment=True)


def window(request):
    try:
        days = int(request.GET.get("days", stats.WINDOW_DAYS))
    except ValueError:
        days = stats.WINDOW_DAYS
    return days if days in WINDOWS else stats.WINDOW_DAYS


@require_safe
def site_admin(request):
    """访问统计 in a site's Wagtail admin: its own figures only (the request's site)."""
    days = window(request)
    return render(request, "analytics/site_admin.html", {
        "summary": stats.summary(request.site_tenant, days), "windows": WINDOWS, "days": days,
    })
