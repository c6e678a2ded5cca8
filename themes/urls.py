"""The theme's own routes on every site host, tried before Wagtail's page tree.

None can shadow a page: Wagtail slugs have no dots, and 'sitemap' and '_patterns' are
not slugs of the standard columns.
"""

from django.urls import path, re_path

from . import views
from .feeds import ColumnFeed

urlpatterns = [
    path("sitemap/", views.site_map, name="site_map"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("_patterns/", views.pattern_library, name="pattern_library"),
    # /rss.xml for the whole site, /<column path>/rss.xml for a column (slugs may be Chinese: \w).
    re_path(r"^(?P<path>(?:[\w-]+/)*)rss\.xml$", ColumnFeed(), name="column_feed"),
]
