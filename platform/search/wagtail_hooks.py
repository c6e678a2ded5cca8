"""搜索统计 in each site's Wagtail admin: what citizens searched for here, and what found nothing."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import stats

PERMISSION = "wagtailadmin.access_admin"


@permission_required(PERMISSION, raise_exception=True)
def search_stats(request):
    return render(request, "search/admin/stats.html", {"stats": stats.summary(sites=[request.site_tenant])})


@hooks.register("register_admin_urls")
def register_urls():
    return [path("search-stats/", search_stats, name="search_stats")]


@hooks.register("register_reports_menu_item")
def register_menu_item():
    return MenuItem("搜索统计", reverse("search_stats"), icon_name="search", order=900)
