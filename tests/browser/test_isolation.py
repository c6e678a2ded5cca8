"""Isolation as a browser sees it: signing in to one site's admin signs you in nowhere else."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_admin_login_on_one_site_is_not_a_login_on_another(
    fixture_sites, site_url, page, wagtail_login, screenshot
):
    county, city = fixture_sites["county"], fixture_sites["city"]
    wagtail_login(page, county.host, county.password)
    expect(page).to_have_url(site_url(county.host, "/admin/"))
    expect(page.locator("#id_password")).to_have_count(0)

    page.goto(site_url(city.host, "/admin/"))
    expect(page).to_have_url(site_url(city.host, "/admin/login/?next=/admin/"))
    expect(page.locator("#id_password")).to_be_visible()
    screenshot(page, "isolation-city-admin-login")
