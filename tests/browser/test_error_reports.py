"""纠错 in Chromium: from an article's 纠错 link a citizen sends a report and gets a code; the editor finds it
marked 纠错 in the inbox with its 3-working-day deadline and answers it; axe in normal and elder mode.

Runs on 春熙路街道 (the township); the article and the reports it commits are removed afterwards.
"""

import re

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from interaction import workdays
from tests.helpers import raw_connection

pytestmark = pytest.mark.browser

TITLE = "春熙路街道开展垃圾分类宣传周活动"
ARTICLE = "/xwdt/jiucuo-browser/"


@pytest.fixture(scope="module")
def township(fixture_sites, django_db_blocker):
    """An article on 春熙路街道, committed for the live server (module-scoped: outside any test transaction)."""
    from columns.models import ArticlePage
    from tests.factories import ArticleFactory

    site = fixture_sites["township"]
    try:
        with django_db_blocker.unblock(), schema_context(site.schema):
            ArticleFactory(title=TITLE, slug="jiucuo-browser", revision=False, first_published_at=timezone.now(),
                           body="<p>本周街道各社区开展垃圾分类宣传。</p>")
        connection.set_schema_to_public()
        yield site
    finally:
        with raw_connection() as conn:
            conn.execute(f'DELETE FROM "{site.schema}".interaction_message')  # noqa: S608 (fixture schema name)
        with django_db_blocker.unblock(), schema_context(site.schema):
            for article in ArticlePage.objects.filter(slug="jiucuo-browser"):
                article.delete()
        connection.set_schema_to_public()


def test_citizen_reports_an_error_from_an_article_and_the_editor_answers_it(
    township, page, site_url, axe, screenshot, wagtail_login
):
    host = township.host
    page.goto(site_url(host, ARTICLE))
    axe(page)
    screenshot(page, "error-report-article")
    link = page.get_by_role("link", name=re.compile(r"^纠错\s*：报告本页的错误$"))
    expect(link).to_be_visible()
    link.click()

    # The form names the page it came from.
    expect(page.get_by_role("heading", name="纠错", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_have_attribute("href", ARTICLE)
    expect(page.get_by_label("出错页面地址")).to_have_value(ARTICLE)
    axe(page)

    # Sent without saying what is wrong: a clear error, and the form keeps the rest.
    page.get_by_label("联系方式（选填）").fill("13800003333")
    page.locator("#id_captcha_1").fill("PASSED")  # CAPTCHA_TEST_MODE in the test settings
    page.get_by_role("button", name="提交纠错").click()
    expect(page.get_by_role("alert")).to_contain_text("纠错信息未提交")
    expect(page.get_by_text("请写明哪里有错", exact=True)).to_be_visible()
    expect(page.get_by_label("联系方式（选填）")).to_have_value("13800003333")
    axe(page)
    screenshot(page, "error-report-form-error")

    page.get_by_label("错误内容").fill("正文第一句“垃圾分类宣传”后缺少日期，活动时间没有写明。")
    page.locator("#id_captcha_1").fill("PASSED")
    page.get_by_role("button", name="提交纠错").click()
    expect(page.get_by_role("heading", name="纠错信息已收到")).to_be_visible()
    code = page.locator("#tracking-code").inner_text()
    assert len(code) == 14 and len(page.locator("#query-password").inner_text()) == 8
    due = workdays.add_working_days(timezone.localdate(), 3)
    expect(page.locator(".receipt")).to_contain_text(f"处理期限：{due:%Y-%m-%d}（3 个工作日）")
    axe(page)
    screenshot(page, "error-report-receipt")

    # Elder mode: the link and the form read as well.
    page.evaluate("localStorage.setItem('govsite-elder', '1')")
    for path in (ARTICLE, f"/jiucuo/?url={ARTICLE}"):
        page.goto(site_url(host, path))
        assert page.evaluate("document.documentElement.classList.contains('elder')")
        axe(page)
    screenshot(page, "error-report-form-elder")
    page.evaluate("localStorage.removeItem('govsite-elder')")

    # The editor: marked 纠错 among the messages, with its deadline, and answered like one.
    wagtail_login(page, host, township.password)
    page.goto(site_url(host, "/admin/messages/"))
    page.get_by_role("navigation", name="按类别筛选").get_by_role("link", name="纠错").click()
    row = page.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("纠错")
    expect(row).to_contain_text("剩 3 个工作日")
    expect(row).to_contain_text(f"{due:%Y-%m-%d}")
    screenshot(page, "error-report-inbox")
    row.get_by_role("link", name=f"纠错：{TITLE}").click()
    expect(page.get_by_role("link", name=ARTICLE)).to_be_visible()
    page.locator(".public-DraftEditor-content").click()
    page.keyboard.insert_text("感谢指正，已补充活动时间。")
    expect(page.locator("input[name=reply]")).to_have_value(re.compile("已补充活动时间"))
    page.get_by_role("button", name="保存答复").click()
    expect(page.get_by_text("答复已保存")).to_be_visible()
    expect(page.get_by_text("纠错信息不公开")).to_be_visible()
    screenshot(page, "error-report-answered")
