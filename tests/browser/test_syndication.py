"""Syndication in Chromium: a province editor distributes an article from its admin; the county and the
township show it in their 上级信息 column (axe in both modes); withdrawn, the copy says so (axe).

The live gunicorn sees committed data only: the test commits an article on the province and removes
it, its distribution and the copies (with the 上级信息 columns it made) afterwards.
"""

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from wagtail.models import Page

from columns.models import ArticlePage, ColumnPage, ColumnType
from library.models import Distribution
from syndication import sync
from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser
TITLE = "四川省部署今冬明春森林草原防灭火工作"


@pytest.fixture
def article(fixture_sites, django_db_blocker):
    province = fixture_sites["province"]
    receivers = [fixture_sites[key] for key in ("city", "county", "township")]
    with django_db_blocker.unblock(), schema_context(province.schema):
        page = ArticleFactory(title=TITLE, slug="fhgz", source="四川省应急管理厅",
                              body="<p>各地要压实防火责任，加强巡查。</p>")
    connection.set_schema_to_public()
    try:
        yield page
    finally:
        with django_db_blocker.unblock():
            Distribution.objects.filter(source_site=province.site).delete()
            for site in [province, *receivers]:
                with schema_context(site.schema):
                    for column in ColumnPage.objects.filter(column_type=ColumnType.REPRINT):
                        column.delete()
            with schema_context(province.schema):
                Page.objects.filter(pk=page.pk).delete()
        connection.set_schema_to_public()


def test_an_editor_distributes_and_the_sites_below_show_it(
        fixture_sites, site_url, page, wagtail_login, audit_pages, axe, article, django_db_blocker):
    province, county = fixture_sites["province"], fixture_sites["county"]
    wagtail_login(page, province.host, province.password)
    page.goto(site_url(province.host, f"/admin/pages/{article.pk}/edit/"))
    page.goto(site_url(province.host, f"/admin/syndication/distribute/{article.pk}/"))
    for level in ("县级", "乡镇级"):
        page.get_by_label(level).check()
    page.get_by_role("button", name="分发").click()
    expect(page.locator(".messages")).to_contain_text("3 个下级站点将收到")
    with django_db_blocker.unblock():
        sync.catch_up_all()  # what the worker does when the NOTIFY arrives
        distribution = Distribution.objects.get(source_site=province.site)
    connection.set_schema_to_public()
    page.reload()
    expect(page.locator("main table")).to_contain_text("锦江区")
    expect(page.locator("main table")).to_contain_text("已接收")

    page.goto(site_url(county.host))
    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="上级信息").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("各地要压实防火责任")
    expect(page.get_by_role("link", name="查看原文")).to_have_attribute(
        "href", re.compile(rf"^http://{re.escape(province.host)}(:\d+)?/xwdt/fhgz/$"))
    for mode in ("normal", "elder"):
        audit_pages(county.host, {"column": "/sjxx/", "copy": f"/sjxx/d{distribution.pk}/"}, mode, "syndication")

    with django_db_blocker.unblock(), schema_context(province.schema):
        ArticlePage.objects.get(pk=article.pk).unpublish()
    connection.set_schema_to_public()
    response = page.goto(site_url(county.host, f"/sjxx/d{distribution.pk}/"))
    assert response.status == 410
    expect(page.locator("main")).to_contain_text("已被发布单位撤回")
    axe(page)
