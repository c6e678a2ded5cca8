"""Security headers on what the app answers: CSP per kind of page, Permissions-Policy, and HSTS as configured."""

import base64
import hashlib
import re

from django.conf import settings
from django.test import Client

from tests.helpers import ROOT


def test_the_themes_inline_script_is_the_one_the_policy_allows():
    """Changing the theme's inline script without its hash would leave 长者模式 blocked in every browser."""
    html = (ROOT / "themes" / "templates" / "themes" / "base.html").read_text()
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1, "the theme has one inline script, allowed by its hash"
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.THEME_INLINE_SCRIPT_HASH


def test_a_sites_page_the_console_and_the_admin_each_carry_their_policy(county, console_client):
    page = county.client().get("/")
    public = page["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", public).group(1)
    assert script_src == f"'self' {settings.THEME_INLINE_SCRIPT_HASH}"
    assert "frame-ancestors 'none'" in public and "object-src 'none'" in public and "form-action 'self'" in public
    assert "camera=()" in page["Permissions-Policy"]
    assert page["X-Content-Type-Options"] == "nosniff" and page["Referrer-Policy"] == "same-origin"

    assert "script-src 'self' 'sha256-" in console_client.get("/").headers["Content-Security-Policy"]
    admin = county.admin_client().get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in admin  # Wagtail's editor needs its inline scripts
    # Error pages too: an unknown host, a missing page.
    for response in (county.client().get("/no-such-page/"), Client(HTTP_HOST="nosuch.localhost").get("/")):
        assert "script-src 'self' 'sha256-" in response["Content-Security-Policy"]


def test_hsts_covers_subdomains_only_when_the_platform_owns_them(monkeypatch):
    """Every site host sends HSTS: with includeSubDomains it would bind hosts outside the platform."""
    import importlib

    env = {"DJANGO_SECRET_KEY": "x" * 60, "PGPASSWORD": "x", "REDIS_URL": "redis://127.0.0.1:6379/13",
           "PLATFORM_CONSOLE_HOSTS": "console.example.gov.cn", "PLATFORM_DOMAIN_SUFFIX": "example.gov.cn",
           "WAGTAILADMIN_BASE_URL": "https://console.example.gov.cn"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HSTS_INCLUDE_SUBDOMAINS", raising=False)
    production = importlib.import_module("config.settings.production")
    production = importlib.reload(production)
    assert production.SECURE_HSTS_SECONDS == 31536000
    assert not production.SECURE_HSTS_INCLUDE_SUBDOMAINS and not production.SECURE_HSTS_PRELOAD
    monkeypatch.setenv("HSTS_INCLUDE_SUBDOMAINS", "1")
    production = importlib.reload(production)
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS and production.SECURE_HSTS_PRELOAD
