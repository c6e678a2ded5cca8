"""The Content-Security-Policy holds on every kind of page, and nothing the pages need breaks it (in Chromium).

The `page` fixture fails any browser test on a CSP violation; this one walks the kinds of
page the policy differs for: a site's pages (elder mode's inline script included), the
console, and a site's Wagtail admin with its page editor.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_public_pages_the_console_and_the_admin_run_under_their_policy(
    fixture_sites, site_url, live_server_url, page, wagtail_login, console_login
):
    county = fixture_sites["county"]
    response = page.goto(site_url(county.host))
    policy = response.headers["content-security-policy"]
    script_src = policy.split("script-src")[1].split(";")[0]
    assert "'self' 'sha256-" in script_src and "'unsafe-inline'" not in script_src
    assert "geolocation=()" in response.headers["permissions-policy"]
    page.get_by_role("button", name="长者模式").first.click()
    page.wait_for_function("document.documentElement.classList.contains('elder')")
    page.goto(site_url(county.host, "/hdjl/ldxx/"))
    page.goto(site_url(county.host, "/search/?q=%E9%94%A6%E6%B1%9F"))

    console_login(page)
    page.goto(f"{live_server_url}/health/")
    expect(page.locator("main")).to_be_visible()

    wagtail_login(page, county.host, county.password)
    admin = page.goto(site_url(county.host, "/admin/pages/"))
    assert "'unsafe-inline'" in admin.headers["content-security-policy"]
    page.goto(site_url(county.host, "/admin/"))
    expect(page.locator("#wagtail-sidebar")).to_be_attached()
