"""Security headers of every response the app makes: Content-Security-Policy (django-csp) and Permissions-Policy.

Two policies, chosen by path:
- every site's pages and the console: scripts only from the platform itself, plus the one
  inline script of the theme (it applies 长者模式 before the page paints), allowed by its hash,
  which is the same bytes for every visitor, so pages stay cacheable at the edge (a nonce
  would differ per response); styles inline too (each site's colour scheme, charts' sizes);
  nothing framed, no plugins, forms posting only to the same site;
- a site's Wagtail admin (/admin/), and its pages seen by a signed-in editor (Wagtail's userbar):
  the same, but with Wagtail's inline scripts allowed, which its editor needs. Such responses
  are private to the editor, never cached at the edge.
Both are settings (CONTENT_SECURITY_POLICY, CSP_ADMIN_DIRECTIVES); tests/browser checks that
the pages raise no violation in Chromium.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIX = "/admin/"


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and _editing(request):
            parts.config = settings.CSP_ADMIN_DIRECTIVES
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


def _editing(request):
    if getattr(request, "site_tenant", None) is None:
        return False  # the console: no Wagtail there
    user = getattr(request, "user", None)
    return request.path_info.startswith(ADMIN_PREFIX) or (user is not None and user.is_authenticated)
