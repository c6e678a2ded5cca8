"""Choose the site (schema) for each request from its Host header.

- console hosts (PLATFORM_CONSOLE_HOSTS): public schema, console URLs;
- a site's primary domain: the site's schema and its URLs;
- an alias domain, or another spelling of a host (www., a trailing dot, capitals): 301 to the
  same path on the primary domain;
- a suspended site: 503 maintenance page with Retry-After;
- a township folded into its county: 301 to where each address went (tenants.actions.folding);
- an archived site: served read-only; a request that would change it (publish, edit,
  a citizen's message) gets a 403 page saying the site is archived and where its successor is;
- an unknown host: the platform's 404 page; a malformed one: 400. Never a 500.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponsePermanentRedirect
from django.urls import set_urlconf
from django_tenants.utils import get_public_schema_name
from wagtail.contrib.redirects.middleware import RedirectMiddleware

from . import audit, views
from .models import SiteStatus
from .routing import resolve_host


def request_host(request):
    """(host as registered: lower case, no port, trailing dot or www., host as asked without its port);
    None when the Host header is malformed."""
    try:
        asked = request.get_host()
    except DisallowedHost:
        return None
    asked = asked.rsplit(":", 1)[0] if not asked.endswith("]") else asked
    host = asked.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host, asked


class SiteRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.request_source(audit.client_address(request)):
            return self._route(request)

    def _route(self, request):
        hosts = request_host(request)
        if hosts is None:
            return views.bad_host(request)
        host, asked = hosts
        route = resolve_host(host)
        if route.status == "console":
            connection.set_schema_to_public()
            request.site_tenant = None
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return self.get_response(request)
        if route.status == "missing":
            return views.unknown_host(request, host)
        if route.primary_host or asked != host:
            # An alias, or another spelling of a host (www., a trailing dot, capitals): one address per
            # page, so the edge caches each page once and a purge of the primary host clears it.
            target = route.primary_host or host
            return HttpResponsePermanentRedirect(views.url_on(request, target, request.get_full_path()))
        site = route.site
        request.site_tenant = site
        request.tenant = site  # django-tenants helpers read request.tenant
        if route.status == SiteStatus.SUSPENDED:
            return views.site_suspended(request, site)
        if route.status == SiteStatus.FOLDED:
            return views.folded_site(request, site)
        if route.status == SiteStatus.ARCHIVED and _changes_something(request):
            return views.site_archived(request, site)
        # The connection stays on this site after the response: the next request on
        # this worker is most often for the same site and then needs no switch at all
        # (see tenants/db/base.py).
        connection.set_tenant(site)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return self.get_response(request)


# Signing in and out of an archived site's admin is still allowed: editors may read it.
_ARCHIVED_SITE_ALLOWED_POSTS = ("/admin/login/", "/admin/logout/")
# The page-view beacon (analytics) counts a reading; it changes nothing of the site.
_ARCHIVED_SITE_ALLOWED_PREFIXES = ("/_count/",)


def _changes_something(request):
    """A request that would change an archived (frozen) site: any unsafe method but signing in or out
    and counting a page view."""
    return (request.method not in ("GET", "HEAD", "OPTIONS") and request.path not in _ARCHIVED_SITE_ALLOWED_POSTS
            and not request.path.startswith(_ARCHIVED_SITE_ALLOWED_PREFIXES))


class SiteRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects (a site's 404 → its configured new address), in site schemas only.

    The console's public schema has no Wagtail tables: there a 404 stays a 404.
    """

    def process_response(self, request, response):
        if connection.schema_name == get_public_schema_name():
            return response
        return super().process_response(request, response)

