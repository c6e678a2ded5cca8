"""访问统计 in each site's Wagtail admin: the site's own page views, for every account of the site."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_urls():
    return [path("analytics/", views.site_admin, name="analytics_site")]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return MenuItem("访问统计", reverse("analytics_site"), icon_name="view", order=901)
