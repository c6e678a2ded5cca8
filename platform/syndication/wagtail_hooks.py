"""Syndication in each site's Wagtail admin: the 分发 button, the 上级信息 inbox and its menu item."""

from django.db import connection
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from library.models import Delivery, Distribution
from tenants.models import GovSite

from . import admin_views, content

app_name = "syndication_admin"
urlpatterns = [
    path("", admin_views.inbox, name="inbox"),
    path("<int:delivery_id>/<str:decision>/", admin_views.decide, name="decide"),
    path("distribute/<int:page_id>/", admin_views.distribute, name="distribute"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("syndication/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("syndication.distribute", "分发到下级站点", "已分发到下级站点")
    actions.register_action("syndication.accept", "接收上级信息", "已接收上级信息")
    actions.register_action("syndication.decline", "不接收上级信息", "已设为不接收")


def _has_sites_below():
    """Whether the site being edited has sites below it: asked once per request (cached on the tenant)."""
    site = getattr(connection, "tenant", None)
    if site is None or not hasattr(site, "pk"):
        return False
    if not hasattr(site, "_has_sites_below"):
        site._has_sites_below = GovSite.objects.filter(parent_id=site.pk).exists()
    return site._has_sites_below


def _distribute_button(page, user, priority):
    if (_has_sites_below() and page.live and content.is_distributable(page.specific_deferred)
            and page.permissions_for_user(user).can_publish()):
        return Button("分发到下级站点", reverse("syndication_admin:distribute", args=[page.pk]),
                      icon_name="upload", priority=priority)
    return None


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    button = _distribute_button(page, user, 62)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    button = _distribute_button(page, user, 42)
    if button:
        yield button


class InboxMenuItem(MenuItem):
    def render_component(self, request):
        component = super().render_component(request)
        site = getattr(request, "site_tenant", None)
        pending = site and Delivery.objects.filter(
            site=site, state=Delivery.State.PENDING, distribution__status=Distribution.Status.ACTIVE).count()
        if pending:
            component.label = f"{self.label}（{pending} 条待接收）"
        return component


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return InboxMenuItem("上级信息", reverse("syndication_admin:inbox"), icon_name="download", order=260)
