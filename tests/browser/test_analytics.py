"""Page views in Chromium: opening a page counts it once, through the real beacon, and sets no cookie;
the console's 访问统计 passes axe."""

import time

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from analytics.counting import fold
from analytics.models import PageViewDay, SiteViewDay
from columns.models import HomePage

pytestmark = pytest.mark.browser


def _views(site, page_id):
    fold([site])
    return sum(PageViewDay.objects.filter(site=site, page_id=page_id).values_list("views", flat=True))


def test_a_visit_is_counted_without_cookies(fixture_sites, site_url, live_server_url, page, django_db_blocker,
                                            console_login, axe):
    county = fixture_sites["county"]
    with django_db_blocker.unblock():
        with schema_context(county.schema):
            home_id = HomePage.objects.get().pk
        connection.set_schema_to_public()
        before = _views(county.site, home_id)
    try:
        page.goto(site_url(county.host))
        with django_db_blocker.unblock():
            deadline = time.monotonic() + 10
            while _views(county.site, home_id) == before and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _views(county.site, home_id) == before + 1
        assert page.context.cookies() == []

        console_login(page)
        page.goto(f"{live_server_url}/analytics/?site={county.site.region_code}")
        expect(page.locator("main")).to_contain_text("共 1 次访问")
        axe(page)
        page.goto(f"{live_server_url}/analytics/")
        expect(page.locator("main table").last).to_contain_text("锦江区人民政府")
        axe(page)
    finally:
        with django_db_blocker.unblock():
            PageViewDay.objects.filter(site=county.site).delete()
            SiteViewDay.objects.filter(site=county.site).delete()
