"""Settings for `make test`: real PostgreSQL, real Redis, nothing mocked."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_CACHE_OPTIONS, TENANT_CACHE_KEY_FUNCTION, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
# Don't use the intentionally slow default password hasher: tests log in a lot.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Nor the password history's (PBKDF2, 200,000 rounds): every account a test makes records one.
DPV_DEFAULT_HISTORY_HASHER = "tenants.passwords.QuickHistoryHasher"
# Tests change routing (suspend, add domain) and expect the next request to see it.
TENANT_ROUTE_CACHE_SECONDS = 0
# No spares unless a test makes them: most tests provision by direct clone inside their transaction.
SITE_SPARE_SCHEMAS = 0
# Two aliases on purpose: the isolation tests prove tenant keys on every alias,
# including the real Redis one production uses.
# Keys carry the test database's name: two runs side by side keep their own counters (rate
# limits, captchas), and tests/conftest.py clears this run's keys when the session starts.
TEST_CACHE_KEY_PREFIX = f"test-{env('PGDATABASE', 'govsites').removeprefix('test_')}"
CACHES = {
    "default": {
        "BACKEND": "tenants.cache.DegradingRedisCache",
        "LOCATION": env("TEST_REDIS_URL", "redis://127.0.0.1:6379/13"),
        "OPTIONS": REDIS_CACHE_OPTIONS,
        "KEY_FUNCTION": TENANT_CACHE_KEY_FUNCTION,
        "KEY_PREFIX": TEST_CACHE_KEY_PREFIX,
    },
    "local": CACHES["default"],
}
# Files per test database, like the schemas: two test runs side by side (PGDATABASE=...)
# must not restore or delete each other's site folders.
# A child process (gunicorn, manage.py) is given the test database's own name (test_<name>).
_FILES = VAR_DIR / f"test-files-{env('PGDATABASE', 'govsites').removeprefix('test_')}"
MEDIA_ROOT = _FILES / "media"
PRIVATE_MEDIA_ROOT = _FILES / "private-media"
SITE_BACKUP_ROOT = _FILES / "backups"
PLATFORM_BACKUP_ROOT = SITE_BACKUP_ROOT / "public"
# Captchas accept "PASSED" so browser and HTTP tests can submit; the captcha itself is django-simple-captcha's.
CAPTCHA_TEST_MODE = True
STORAGES = {
    "default": {"BACKEND": "tenants.storage.SiteMediaStorage"},
    # No manifest in tests: collectstatic is not part of the test run.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PLATFORM_SITE_PORT = 80
# Static files come straight from the apps (no collectstatic step outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Every test client comes from 127.0.0.1: the per-address login budget would add up the wrong
# passwords of every test that commits them. The test of the budget sets its own (test_lockout.py).
LOGIN_FAILURES_PER_ADDRESS = 100_000
