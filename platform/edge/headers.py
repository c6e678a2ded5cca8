"""Tell the edge (and browsers) what they may keep.

A site's page is cacheable at the edge when it is the same for every visitor: a GET
or HEAD from someone without a session, answered without a cookie and without a
CSRF token in it, outside the admin. It then gets

    Cache-Control: public, max-age=<EDGE_CACHE_BROWSER_MAX_AGE>, s-maxage=<EDGE_CACHE_SHARED_MAX_AGE>

and loses `Vary: Cookie` (the edge strips cookies from such requests; a visitor with
a session cookie is never served from the cache, see deploy/varnish/default.vcl).
A view whose page changes by itself at a known moment (a consultation opening) sets
`response.edge_max_age` to the seconds until then: the edge keeps it no longer (not at all
below one second).
Browsers keep it briefly (they cannot be purged); the edge keeps it until a purge
(edge.purge) or the shared max-age, whichever comes first. Everything else is
`private, no-cache` unless the view said otherwise. The edge caches nothing that
does not carry s-maxage, so a response this middleware never saw (an unknown
host, a suspended site's 503) is not cached.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

CACHEABLE_STATUSES = {200, 203, 300, 301, 404, 410}


def _vary_without_cookie(response):
    if not response.has_header("Vary"):
        return
    kept = [v.strip() for v in response["Vary"].split(",") if v.strip() and v.strip().lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def is_cacheable(request, response):
    return (
        getattr(request, "site_tenant", None) is not None  # a site, not the console
        and request.method in ("GET", "HEAD")
        and response.status_code in CACHEABLE_STATUSES
        and not response.has_header("Cache-Control")  # the view decided
        and not response.cookies
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds the visitor's CSRF token
        and not request.path_info.startswith(tuple(settings.EDGE_CACHE_PRIVATE_PATHS))
    )


class EdgeCacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        shared = min(settings.EDGE_CACHE_SHARED_MAX_AGE, int(getattr(response, "edge_max_age", 1 << 31)))
        if shared > 0 and is_cacheable(request, response):
            browser = min(settings.EDGE_CACHE_BROWSER_MAX_AGE, shared)
            response["Cache-Control"] = f"public, max-age={browser}, s-maxage={shared}"
            _vary_without_cookie(response)
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response
