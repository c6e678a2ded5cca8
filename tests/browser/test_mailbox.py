"""The mailbox end to end in Chromium: a citizen writes and gets a code, the editor replies and
publishes in the Wagtail admin, the citizen reads the reply, the public list shows it.
axe on the form, the receipt, the lookup and the public list, in normal and elder mode.

Runs on 春熙路街道 (the township); the messages it commits through the server are removed afterwards.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import raw_connection

pytestmark = pytest.mark.browser

MAILBOX = "/hdjl/ldxx/"


@pytest.fixture
def township(fixture_sites):
    site = fixture_sites["township"]
    yield site
    with raw_connection() as conn:
        conn.execute(f'DELETE FROM "{site.schema}".interaction_message')  # noqa: S608 (fixture schema name)


def test_citizen_writes_editor_replies_citizen_reads_public_list_shows_it(
    township, page, site_url, axe, screenshot, wagtail_login
):
    host = township.host
    # The citizen writes.
    page.goto(site_url(host, MAILBOX))
    axe(page)
    page.get_by_label("咨询").check()
    page.get_by_label("主题").fill("街道办事大厅周六开放吗")
    page.get_by_label("留言内容").fill("想周六去办理居住证，请问街道便民服务中心周六是否上班？")
    page.get_by_label("联系电话").fill("13800001111")
    page.get_by_label("同意在答复后公开本留言").check()
    # A new captcha image in place: what was typed stays.
    old_key = page.locator("#id_captcha_0").input_value()
    page.get_by_role("button", name="看不清？换一张").click()
    expect(page.locator("#id_captcha_0")).not_to_have_value(old_key)
    new_key = page.locator("#id_captcha_0").input_value()
    assert page.locator(".captcha__image").get_attribute("src").endswith(f"/{new_key}/")
    expect(page.get_by_label("主题")).to_have_value("街道办事大厅周六开放吗")
    page.locator("#id_captcha_1").fill("PASSED")  # CAPTCHA_TEST_MODE in the test settings
    screenshot(page, "mailbox-form")
    page.get_by_role("button", name="提交留言").click()
    expect(page.get_by_role("heading", name="留言已收到")).to_be_visible()
    code = page.locator("#tracking-code").inner_text()
    password = page.locator("#query-password").inner_text()
    assert len(code) == 14 and len(password) == 8
    axe(page)
    screenshot(page, "mailbox-receipt")

    # The editor replies and publishes.
    wagtail_login(page, host, township.password)
    page.goto(site_url(host, "/admin/messages/"))
    page.get_by_role("link", name="街道办事大厅周六开放吗").click()
    expect(page.get_by_text("138****1111")).to_be_visible()  # masked until asked for (and audited)
    expect(page.get_by_text("13800001111")).to_have_count(0)
    page.get_by_role("button", name="查看完整信息").click()
    expect(page.get_by_text("13800001111")).to_be_visible()
    page.locator(".public-DraftEditor-content").click()
    page.keyboard.insert_text("您好，便民服务中心周六上午 9:00—12:00 开放，可办理居住证。")
    expect(page.locator("input[name=reply]")).to_have_value(re.compile("便民服务中心"))
    page.get_by_label("公开本次答复").check()
    page.get_by_role("button", name="保存答复").click()
    expect(page.get_by_text("答复已保存并公开")).to_be_visible()
    screenshot(page, "mailbox-admin-replied")

    # The citizen looks the reply up (a fresh browser context: no admin session).
    page.context.clear_cookies()
    page.goto(site_url(host, MAILBOX + "query/"))
    axe(page)
    page.get_by_label("查询码").fill(code)
    page.get_by_label("查询密码").fill(password)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("便民服务中心周六上午")).to_be_visible()
    expect(page.get_by_text("13800001111")).to_have_count(0)
    axe(page)
    screenshot(page, "mailbox-lookup")

    # The public list shows the exchange, without contact details; elder mode is checked too.
    page.goto(site_url(host, MAILBOX + "replies/"))
    expect(page.get_by_role("link", name="街道办事大厅周六开放吗")).to_be_visible()
    axe(page)
    screenshot(page, "mailbox-replies")
    page.evaluate("localStorage.setItem('govsite-elder', '1')")
    for path in (MAILBOX, MAILBOX + "replies/"):
        page.goto(site_url(host, path))
        assert page.evaluate("document.documentElement.classList.contains('elder')")
        axe(page)
    page.get_by_role("link", name="街道办事大厅周六开放吗").click()
    expect(page.get_by_text("便民服务中心周六上午")).to_be_visible()
    assert "13800001111" not in page.content()
    axe(page)
    screenshot(page, "mailbox-reply-elder")


@pytest.fixture(scope="module")
def consultations(fixture_sites, django_db_blocker):
    """An open and a closed consultation on 春熙路街道, committed for the live server; removed afterwards.

    Module-scoped so it runs outside the test's transaction, which the server could not see into.
    """
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from columns.models import ColumnPage, ColumnType
    from interaction.models import ConsultationPage, ConsultationQuestion
    from tests.factories import ConsultationFactory

    site = fixture_sites["township"]
    now = timezone.now()
    try:
        with django_db_blocker.unblock(), schema_context(site.schema):
            column = ColumnPage.objects.get(column_type=ColumnType.CONSULTATION)
            for slug, opens, closes, summary in (("open", -1, 10, ""), ("closed", -20, -2, "<p>采纳意见 8 条。</p>")):
                ConsultationFactory(
                    parent=column, title=f"街道议事规则征求意见（{slug}）", slug=slug, intro="<p>欢迎提出意见。</p>",
                    draft_text="<p>第一条 议事会每月召开一次。</p>", opens_at=now + timedelta(days=opens),
                    closes_at=now + timedelta(days=closes), feedback_summary=summary,
                    questions=[ConsultationQuestion(
                        text="每月召开一次是否合适？", kind="choice", choices="合适\n太少", required=True
                    )],
                )
        connection.set_schema_to_public()
        yield site
    finally:
        with django_db_blocker.unblock(), schema_context(site.schema):
            for consultation in ConsultationPage.objects.all():
                consultation.delete()
        connection.set_schema_to_public()


def test_citizen_gives_feedback_on_an_open_consultation_and_reads_the_summary_of_a_closed_one(
    consultations, page, site_url, axe, screenshot
):
    host = consultations.host
    page.goto(site_url(host, "/hdjl/zjdc/open/"))
    expect(page.get_by_text("第一条 议事会每月召开一次。")).to_be_visible()
    axe(page)
    page.get_by_label("太少").check()
    page.get_by_label("意见建议").fill("建议每两周召开一次。")
    page.locator("#id_captcha_1").fill("PASSED")
    screenshot(page, "consultation-open")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_role("heading", name="意见已收到")).to_be_visible()
    axe(page)
    page.goto(site_url(host, "/hdjl/zjdc/closed/"))
    expect(page.get_by_role("heading", name="意见采纳情况")).to_be_visible()
    expect(page.get_by_role("button", name="提交意见")).to_have_count(0)
    axe(page)
    screenshot(page, "consultation-closed")
    page.evaluate("localStorage.setItem('govsite-elder', '1')")
    for path in ("/hdjl/zjdc/open/", "/hdjl/zjdc/closed/"):
        page.goto(site_url(host, path))
        axe(page)
