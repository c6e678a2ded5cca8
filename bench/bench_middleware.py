"""The tenancy-free baseline: every request is served by one site fixed at start-up.

Used only by bench_bypass_settings. It sets what SiteRoutingMiddleware sets for a
site host (the connection's tenant, request.site_tenant/tenant and the site URLconf)
but looks the site up once per worker instead of per request. Re-selecting the same
schema is free in tenants.db (no `SET search_path`), so the request pays for nothing
but the page.
"""

from django.conf import settings
from django.db import connection
from django.urls import set_urlconf

from tenants.models import Domain


class FixedSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.site = None

    def __call__(self, request):
        if self.site is None:
            self.site = Domain.objects.select_related("tenant").get(domain=settings.BENCH_FIXED_HOST).tenant
        request.site_tenant = request.tenant = self.site
        connection.set_tenant(self.site)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return self.get_response(request)
