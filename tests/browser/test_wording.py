"""The 错敏词 check as an editor meets it in Chromium: publishing an article with a misspelt country
name keeps it a draft and shows the hit, marked, with its correct form; the citizen never sees it."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from wagtail.models import Page

from columns.models import ArticlePage, ColumnPage

pytestmark = pytest.mark.browser


def test_a_serious_error_is_shown_marked_and_the_article_stays_a_draft(fixture_sites, site_url, page, wagtail_login,
                                                                       django_db_blocker, screenshot, axe):
    city = fixture_sites["city"]
    with django_db_blocker.unblock(), schema_context(city.schema):
        news_id = ColumnPage.objects.get(slug="xwdt").pk
    connection.set_schema_to_public()
    title = "成都市召开庆祝中华人民共合国成立座谈会"
    try:
        wagtail_login(page, city.host, city.password)
        page.goto(site_url(city.host, f"/admin/pages/add/columns/articlepage/{news_id}/"))
        page.locator("#id_title").fill(title)
        page.locator("#id_source").fill("成都市融媒体中心")
        page.locator("footer [data-w-dropdown-target='toggle']").last.click()
        page.get_by_role("button", name="发布", exact=True).click()
        messages = page.locator(".messages")
        expect(messages).to_contain_text("本页含有严重错误")
        expect(messages.locator("mark")).to_have_text("中华人民共合国")
        expect(messages).to_contain_text("应为：中华人民共和国")
        screenshot(page, "wording-refused")
        # Nothing was lost: the title is in the draft; nothing went out.
        expect(page.locator("#id_title")).to_have_value(title)
        page.goto(site_url(city.host, "/xwdt/"))
        expect(page.locator("main")).not_to_contain_text("中华人民共合国")
    finally:
        with django_db_blocker.unblock(), schema_context(city.schema):
            for article in ArticlePage.objects.filter(title=title):
                Page.objects.get(pk=article.pk).delete()
        connection.set_schema_to_public()
