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
