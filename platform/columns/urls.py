"""Columns' own routes on every site host (网站地图, sitemap.xml, RSS), tried before Wagtail's page tree.

None can shadow a page: Wagtail slugs have no dots, and 'sitemap' is not a slug of the
standard columns.
"""

from django.urls import path, re_path

from . import views
from .feeds import ColumnFeed

urlpatterns = [
    path("sitemap/", views.site_map, name="site_map"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    # /rss.xml for the whole site, /<column path>/rss.xml for a column (slugs may be Chinese: \w).
    re_path(r"^(?P<path>(?:[\w-]+/)*)rss\.xml$", ColumnFeed(), name="column_feed"),
]
