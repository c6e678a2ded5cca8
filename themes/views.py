"""The theme's own pages: robots.txt and the pattern library (网站地图 and sitemap.xml are columns').

robots.txt writes addresses on the request's own host (aliases were already redirected to
the primary domain by the router), so it never names another site's URLs.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render

from . import patterns
from .palettes import DEFAULT_PALETTE, css_variables, get_palette

# Search results, the editors' admin and the 纠错 form (one per page, each with a captcha) are not worth
# a crawler's time.
ROBOTS_DISALLOW = ("/admin/", "/search/", "/jiucuo/")


def robots_txt(request):
    """robots.txt pointing crawlers at this site's own sitemap.xml, on this site's host."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def pattern_library(request):
    """Every component rendered from its example context: a developer page, absent in production."""
    if not settings.DEBUG:
        raise Http404
    css = css_variables(get_palette(DEFAULT_PALETTE))
    return render(request, "themes/patterns.html", {"patterns": patterns.render_all(), "css": css})
