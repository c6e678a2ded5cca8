"""Host -> site look-up with a short per-process cache.

Every request needs it, so it must not cost a query each time: a worker keeps the
answer for TENANT_ROUTE_CACHE_SECONDS. Actions call `clear_route_cache()` so the
worker that made a change sees it at once; other workers within that many seconds.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.urls import get_urlconf, set_urlconf

from .models import Domain, GovSite


@dataclass(frozen=True)
class Route:
    site: GovSite | None  # None: the platform console (public schema)
    primary_host: str | None  # set when the requested host is an alias
    status: str


_cache = {}
_MISSING = Route(site=None, primary_host=None, status="missing")
_CONSOLE = Route(site=None, primary_host=None, status="console")


def clear_route_cache():
    _cache.clear()


def resolve_host(host):
    """Route for `host` (lower-case, no port). status "missing" for unknown hosts."""
    if host in settings.PLATFORM_CONSOLE_HOSTS:
        return _CONSOLE
    ttl = settings.TENANT_ROUTE_CACHE_SECONDS
    now = time.monotonic()
    if ttl > 0:
        cached = _cache.get(host)
        if cached is not None and cached[0] > now:
            return cached[1]
    route = _lookup(host)
    if ttl > 0:
        if len(_cache) > 20000:  # unknown hosts from scanners must not grow it without bound
            _cache.clear()
        _cache[host] = (now + ttl, route)
    return route


def _lookup(host):
    # The registry lives in the public schema; this is the routing edge, where switching is allowed.
    connection.set_schema_to_public()
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    if domain is None:
        return _MISSING
    site = domain.tenant
    primary_host = None
    if not domain.is_primary:
        primary = Domain.objects.filter(tenant=site, is_primary=True).values_list("domain", flat=True).first()
        primary_host = primary if primary and primary != host else None
    return Route(site=site, primary_host=primary_host, status=site.status)


@contextmanager
def site_urls():
    """Reverse a site's URLs (its pages' addresses) from code that serves the console.

    A console request runs with the console's URLconf, where Wagtail's page URL pattern
    does not exist: a page's url would come out as None. Work inside a site's schema
    started from the console (a restore re-indexing the site) wraps itself in this.
    """
    previous = get_urlconf()
    set_urlconf(settings.ROOT_URLCONF)
    try:
        yield
    finally:
        set_urlconf(previous)
