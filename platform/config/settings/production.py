"""Production. Every secret comes from the environment; a missing one stops the start.

See deploy/README.md for the full list of environment variables.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import TENANT_CACHE_KEY_FUNCTION, env


def required(name):
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production (see deploy/README.md)")
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
DATABASES["default"]["PASSWORD"] = required("PGPASSWORD")  # noqa: F405
PLATFORM_CONSOLE_HOSTS = [h.strip() for h in required("PLATFORM_CONSOLE_HOSTS").split(",") if h.strip()]
PLATFORM_DOMAIN_SUFFIX = required("PLATFORM_DOMAIN_SUFFIX")
PLATFORM_SITE_SCHEME = "https"
PLATFORM_SITE_PORT = 443
WAGTAILADMIN_BASE_URL = required("WAGTAILADMIN_BASE_URL")

CACHES = {
    "default": {
        # Shared by all app nodes; keys carry the schema (see base.py). Redis unreachable is a cache
        # miss, never an error page (tenants/cache.py).
        "BACKEND": "tenants.cache.DegradingRedisCache",
        "LOCATION": required("REDIS_URL"),
        "KEY_FUNCTION": TENANT_CACHE_KEY_FUNCTION,
        "OPTIONS": REDIS_CACHE_OPTIONS,  # noqa: F405
    }
}

# TLS terminates at nginx, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# One year. Sub-domains only when the province says every name below its sites' is the platform's
# (HSTS_INCLUDE_SUBDOMAINS=1): a county's host would otherwise force HTTPS on a department's own
# server under it (dept.region.gov.cn) that has none. Preloading goes with it: it cannot be undone soon.
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
SECURE_HSTS_PRELOAD = SECURE_HSTS_INCLUDE_SUBDOMAINS
if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    # Django's deployment check asks for both; left off on purpose (above), so its warnings are too.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W005", "security.W021"]  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Citizens' addresses for the rate limits: nginx sets X-Real-IP (overwriting the client's),
# Varnish passes it on; REMOTE_ADDR is the edge's own address for every request.
CLIENT_ADDRESS_HEADER = env("CLIENT_ADDRESS_HEADER", "HTTP_X_REAL_IP")
# nginx serves media from disk after the app has checked which site asks.
MEDIA_ACCEL_REDIRECT_PREFIX = env("MEDIA_ACCEL_REDIRECT_PREFIX", "/_protected_media/")

EMAIL_HOST = env("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")
