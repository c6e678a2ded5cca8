"""Host -> site look-up with a per-process cache that follows the registry.

Every request needs it, so it must not cost a query each time. A worker keeps each
answer until the registry changes: every action that changes routing (a site
provisioned, suspended, resumed, archived, folded, restored; a domain added or
removed) calls `routes_changed()` after commit, which clears this worker's cache and
advances the registry's route generation (a sequence in the public schema). Each
worker reads that generation at most once every TENANT_ROUTE_CACHE_SECONDS and drops
its cache when it moved, so other workers see a change within that many seconds.

Entries used to expire after those few seconds instead: a round robin over 3,000
hosts then found none of them cached, and every request paid a look-up in public,
a second schema switch, the ContentType cache refilled and the site's parents
fetched again (bench/README.md, "3,000 sites: serving").
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
# The registry's route generation this worker's cache belongs to, and when to read it again.
_generation = None
_check_at = 0.0
# An answer is looked up again after an hour even if the generation never moved: a
# registry row changed outside the actions (by hand in SQL) still shows within that.
MAX_AGE_SECONDS = 3600
_MISSING = Route(site=None, primary_host=None, status="missing")
_CONSOLE = Route(site=None, primary_host=None, status="console")


def clear_route_cache():
    """Forget this worker's host look-ups (only this worker's: see `routes_changed`)."""
    global _generation, _check_at
    _cache.clear()
    _generation = None
    _check_at = 0.0


def routes_changed():
    """The registry changed how some host answers: every worker looks hosts up again.

    Call after commit (`transaction.on_commit(routes_changed)`), so that no worker can
    read the old rows again after seeing the new generation.
    """
    clear_route_cache()
    advance_generation()


def advance_generation():
    """Move the registry's route generation on: other workers drop their caches at their next check."""
    with connection.cursor() as cursor:
        # nextval is not transactional: the generation moves even inside an outer transaction.
        cursor.execute("SELECT nextval('public.tenants_route_generation')")


def _current_generation():
    # Schema-qualified, so the connection's search path (the last site served) is left alone.
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM public.tenants_route_generation")
        return cursor.fetchone()[0]


def resolve_host(host):
    """Route for `host` (lower-case, no port). status "missing" for unknown hosts."""
    global _generation, _check_at
    if host in settings.PLATFORM_CONSOLE_HOSTS:
        return _CONSOLE
    interval = settings.TENANT_ROUTE_CACHE_SECONDS
    if interval <= 0:
        return _lookup(host)
    now = time.monotonic()
    if now >= _check_at:
        generation = _current_generation()
        if generation != _generation:
            _cache.clear()
            _generation = generation
        _check_at = now + interval
    cached = _cache.get(host)
    if cached is not None and cached[0] > now:
        return cached[1]
    route = _lookup(host)
    if len(_cache) > 20000:  # unknown hosts from scanners must not grow it without bound
        _cache.clear()
    _cache[host] = (now + MAX_AGE_SECONDS, route)
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
