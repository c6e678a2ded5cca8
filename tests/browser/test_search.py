"""The search page in Chromium: results with highlights and an empty result, axe in both modes.

The live server sees committed data only: the module commits two articles on 锦江区 and removes them.
"""

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def articles(fixture_sites, django_db_blocker):
    from columns.models import ArticlePage, ColumnPage
    from tests.factories import ArticleFactory

    county = fixture_sites["county"]
    try:
        with django_db_blocker.unblock(), schema_context(county.schema):
            news = ColumnPage.objects.get(slug="xwdt")
            for n, title in enumerate(("关于优化营商环境的实施意见", "营商环境宣传周启动")):
                ArticleFactory(parent=news, title=title, slug=f"yingshang-{n}", body="<p>持续优化营商环境。</p>")
        connection.set_schema_to_public()
        yield county
    finally:
        with django_db_blocker.unblock(), schema_context(county.schema):
            for page in ArticlePage.objects.filter(slug__startswith="yingshang-"):
                page.delete()
        connection.set_schema_to_public()


def test_search_from_the_header_finds_and_highlights(articles, page, site_url, axe, screenshot):
    page.goto(site_url(articles.host))
    page.get_by_role("searchbox", name="搜索本站").fill("营商环境")
    page.get_by_role("button", name="搜索").first.click()
    expect(page.get_by_text("找到 2 条与“营商环境”相关的结果")).to_be_visible()
    expect(page.locator(".search-result__title mark").first).to_have_text("营商环境")
    axe(page)
    screenshot(page, "search-results")
    page.get_by_label("全省政府网站").check()
    page.locator(".search-filters button[type=submit]").click()
    expect(page.get_by_text("锦江区人民政府").first).to_be_visible()
    axe(page)
    page.goto(site_url(articles.host, "/search/?q=火星基地"))
    expect(page.get_by_text("没有找到与“火星基地”相关的结果。")).to_be_visible()
    axe(page)
    page.evaluate("localStorage.setItem('govsite-elder', '1')")
    page.goto(site_url(articles.host, "/search/?q=营商环境"))
    axe(page)
    screenshot(page, "search-results-elder")
