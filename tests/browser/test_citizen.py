"""What a citizen sees: a site's home page, a column, and the platform's page for an unknown host."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_page_and_column(fixture_sites, site_url, page, axe, screenshot):
    county = fixture_sites["county"]
    response = page.goto(site_url(county.host))
    assert response.status == 200
    expect(page.locator(".site-name")).to_have_text("锦江区人民政府")
    # The theme's stylesheet is served, so axe judges the colours visitors actually see.
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(140, 14, 21)")
    axe(page)
    screenshot(page, "citizen-home")

    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="新闻动态", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新闻动态")
    assert page.url.startswith(site_url(county.host))
    axe(page)
    screenshot(page, "citizen-column")


def test_unknown_host_gets_the_platform_404_page(site_url, page, axe, screenshot):
    response = page.goto(site_url("nosuch.localhost"))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("您访问的网站不存在")
    axe(page)
    screenshot(page, "unknown-host")
