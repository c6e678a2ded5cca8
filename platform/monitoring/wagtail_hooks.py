"""A site's editors see their own site's indicators on their admin dashboard, with links to fix them."""

from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .models import SiteHealth


class SiteHealthPanel(Component):
    name = "site_health"
    order = 20

    def __init__(self, health):
        self.health = health

    def render_html(self, parent_context=None):
        return render_to_string("monitoring/admin_panel.html", {"health": self.health})


@hooks.register("construct_homepage_panels")
def site_health_panel(request, panels):
    site = getattr(request, "site_tenant", None)
    if site is None:
        return
    health = SiteHealth.objects.filter(site=site).first()
    if health is not None:
        panels.insert(0, SiteHealthPanel(health))
