"""Local development: `make run`. Debug on, console e-mail, a throwaway secret."""

from .base import *  # noqa: F403
from .base import PLATFORM_DOMAIN_SUFFIX, env

DEBUG = True
# Development only: production.py refuses to start without a real SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
# `make run` serves on :8000, so generated site URLs must carry that port.
PLATFORM_SITE_PORT = int(env("PLATFORM_SITE_PORT", "8000"))
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# *.localhost names need not resolve here: probes and the link checker go to the dev server itself.
# Only the platform's own names: links to other hosts are checked where they really are.
MONITORING_PROBE_CONNECT_TO = env(
    "MONITORING_PROBE_CONNECT_TO", f"*.{PLATFORM_DOMAIN_SUFFIX}=127.0.0.1:{PLATFORM_SITE_PORT},"
    f"{PLATFORM_DOMAIN_SUFFIX}=127.0.0.1:{PLATFORM_SITE_PORT}"
)
# No edge in development: the public copy and the published page both come from the dev server.
TAMPER_ORIGIN = env("TAMPER_ORIGIN", f"127.0.0.1:{PLATFORM_SITE_PORT}")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Static files come straight from the apps (no collectstatic step outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# No manifest outside production: it needs collectstatic and a STATIC_ROOT.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
