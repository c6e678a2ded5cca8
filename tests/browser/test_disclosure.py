"""依申请公开 end to end in Chromium: a citizen applies with a proof of identity and gets a code, the
office extends the deadline and answers with a drafted 告知书 in the Wagtail admin, the citizen reads
the history and the answer. axe on the form, the receipt and the status page, in normal and elder mode.

Runs on 春熙路街道 (the township); what it commits through the server is removed afterwards.
"""

import re

import pytest
from playwright.sync_api import expect

from tests import files
from tests.disclosure.helpers import RESIDENT_ID
from tests.helpers import raw_connection

pytestmark = pytest.mark.browser

PAGE = "/xxgk/ysqgk/"


@pytest.fixture
def township(fixture_sites):
    site = fixture_sites["township"]
    yield site
    with raw_connection() as conn:
        for table in ("disclosure_applicationfile", "disclosure_applicationevent", "disclosure_application"):
            conn.execute(f'DELETE FROM "{site.schema}".{table}')  # noqa: S608 (fixture schema name)


def fill_application(page, tmp_path):
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或单位名称").fill("赵六")
    page.get_by_label("证件类型").select_option("resident_id")
    page.get_by_label("证件号码").fill(RESIDENT_ID[:-1] + "1")  # a slip in the check digit first
    page.get_by_label("联系电话").fill("13800002222")
    page.get_by_label("电子邮箱").fill("zhaoliu@example.com")
    page.get_by_label("所需信息的名称").fill("春熙路街道2025年老旧小区改造计划")
    page.get_by_label("电子文档").check()
    page.get_by_label("网上查看（凭查询码）").check()
    proof = tmp_path / "身份证.pdf"
    proof.write_bytes(files.pdf())
    page.get_by_label("身份证明").set_input_files(str(proof))
    page.locator("#id_captcha_1").fill("PASSED")  # CAPTCHA_TEST_MODE in the test settings


def test_citizen_applies_office_extends_and_answers_citizen_reads_it(
    township, page, site_url, axe, screenshot, wagtail_login, tmp_path
):
    host = township.host
    page.goto(site_url(host, PAGE))
    axe(page)
    fill_application(page, tmp_path)
    page.get_by_role("button", name="提交申请").click()
    # The wrong check digit is caught, what was typed stays, and the page still passes axe.
    expect(page.get_by_text("校验位不正确")).to_be_visible()
    expect(page.get_by_label("所需信息的名称")).to_have_value("春熙路街道2025年老旧小区改造计划")
    axe(page)
    page.get_by_label("证件号码").fill(RESIDENT_ID)
    page.get_by_label("身份证明").set_input_files(str(tmp_path / "身份证.pdf"))  # browsers never keep a file
    page.locator("#id_captcha_1").fill("PASSED")
    screenshot(page, "disclosure-form")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", name="申请已收到")).to_be_visible()
    code = page.locator("#tracking-code").inner_text()
    password = page.locator("#query-password").inner_text()
    assert code.startswith("GK") and len(password) == 8
    axe(page)
    screenshot(page, "disclosure-receipt")

    # The office: the identity number masked, the deadline extended, the answer drafted and sent.
    wagtail_login(page, host, township.password)
    page.goto(site_url(host, "/admin/disclosure/"))
    page.get_by_role("link", name="春熙路街道2025年老旧小区改造计划").click()
    expect(page.get_by_text(RESIDENT_ID)).to_have_count(0)
    page.get_by_label("延长（工作日）").fill("10")
    page.get_by_label("批准人（政府信息公开工作机构负责人）").fill("孙主任")
    page.get_by_label("延期理由").fill("需要向区住建局调取资料")
    page.get_by_role("button", name="延长期限").click()
    expect(page.get_by_text("答复期限已延长至")).to_be_visible()
    page.get_by_label("答复结果").select_option("disclosed")
    page.get_by_label("具体情形").select_option("provided")
    page.get_by_role("button", name="按答复结果生成告知书").click()
    expect(page.get_by_label("告知书正文")).to_have_value(
        re.compile("第三十六条第（二）项.*六十日内依法申请行政复议", re.S))
    plan = tmp_path / "改造计划.pdf"
    plan.write_bytes(files.pdf())
    page.get_by_label("公开的信息（选填，可多选）").set_input_files(str(plan))
    page.get_by_role("button", name="答复", exact=True).click()
    expect(page.get_by_text("已答复：予以公开（提供所申请的政府信息）", exact=True)).to_be_visible()
    screenshot(page, "disclosure-admin-answered")

    # The citizen looks it up, in normal and in elder mode.
    page.context.clear_cookies()
    for mode in ("normal", "elder"):
        if mode == "elder":
            page.evaluate("localStorage.setItem('govsite-elder', '1')")
        page.goto(site_url(host, PAGE + "query/"))
        page.get_by_label("查询码").fill(code)
        page.get_by_label("查询密码").fill(password)
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_text("经批准，答复期限延长 10 个工作日")).to_be_visible()
        expect(page.get_by_role("link", name="改造计划.pdf")).to_be_visible()
        assert RESIDENT_ID not in page.content()
        assert page.evaluate("document.documentElement.classList.contains('elder')") == (mode == "elder")
        axe(page)
        screenshot(page, f"disclosure-status-{mode}")
    with page.expect_download() as download:
        page.get_by_role("link", name="改造计划.pdf").click()
    assert download.value.suggested_filename == "改造计划.pdf"
    with page.expect_download() as download:
        page.get_by_role("link", name="下载告知书（PDF）").click()
    assert download.value.suggested_filename == f"告知书-{code}.pdf"
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    page.goto(site_url(host, PAGE))
    axe(page)  # the form in elder mode


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_the_guide_and_the_rules_have_no_axe_violations(fixture_sites, audit_pages, mode):
    audit_pages(fixture_sites["county"].host, {"guide": "/xxgk/gkzn/", "rules": "/xxgk/gkzd/", "xxgk": "/xxgk/"},
                mode, "disclosure-guide")
