"""纠错: every page links to the site's error-report form; a report gets a code, the 3-working-day clock,
a place in the editors' inbox, an answer, and its count in the 年度报表."""

import datetime
import re

import chinese_calendar
import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from interaction import actions, workdays
from interaction.models import Category, Message, Status
from reports.figures import compute
from tests.factories import ArticleFactory
from tests.interaction.test_inbox import draftail, new_message

FORM = "/jiucuo/"
ARTICLE = "/xwdt/jiucuo-test/"
TITLE = "锦江区2026年春季植树活动安排"


@pytest.fixture
def article(county):
    with schema_context(county.schema):
        return ArticleFactory(title=TITLE, slug="jiucuo-test", revision=False, first_published_at=timezone.now())


def report_data(**overrides):
    data = {
        "url": ARTICLE, "body": "第二段“植数节”应为“植树节”。", "contact": "13800002222",
        "captcha_0": "any-key", "captcha_1": "PASSED",  # CAPTCHA_TEST_MODE in test settings
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def send(site, **overrides):
    response = site.client().post(FORM, report_data(**overrides))
    codes = re.search(r'id="tracking-code">([0-9A-Z]+)<.*?id="query-password">([0-9A-Z]+)<', response.text, re.S)
    return response, (codes.groups() if codes else (None, None))


def reports(site):
    with schema_context(site.schema):
        return list(Message.objects.error_reports())


def test_every_page_links_to_the_form_with_its_own_address(county, article):
    for path in ("/", "/xwdt/", ARTICLE, "/hdjl/ldxx/"):
        html = county.client().get(path).text
        assert f'<a href="{FORM}?url={path}" rel="nofollow">纠错' in html, path
    # The form itself has no link to itself, and search engines are asked to leave the forms alone.
    assert 'class="correction-link"' not in county.client().get(FORM + "?url=" + ARTICLE).text
    assert "Disallow: /jiucuo/" in county.client().get("/robots.txt").text.splitlines()


def test_the_form_names_the_page_and_is_never_cached(county, article):
    response = county.client().get(FORM, {"url": ARTICLE})
    assert response.status_code == 200
    assert f'您要纠错的页面：<a href="{ARTICLE}">{TITLE}</a>' in response.text
    assert "3 个工作日" in response.text and "验证码" in response.text
    assert "no-store" in response["Cache-Control"]


def test_a_report_is_stored_with_its_page_and_a_three_working_day_clock_before_its_code_is_shown(county, article):
    response, (code, password) = send(county)
    assert response.status_code == 200
    assert code and password and "纠错信息已收到" in response.text
    assert "no-store" in response["Cache-Control"]
    [report] = reports(county)
    assert report.tracking_code == code and report.check_password(password)
    assert report.category == Category.ERROR_REPORT and report.page_url == ARTICLE
    assert report.subject == f"纠错：{TITLE}" and report.body == "第二段“植数节”应为“植树节”。"
    assert report.phone == "13800002222" and not report.allow_public and report.mailbox is None
    received = timezone.localtime(report.received_at).date()
    assert report.reply_days == 3 and report.due_date == workdays.add_working_days(received, 3)
    assert "（3 个工作日）" in response.text and f"{report.due_date:%Y-%m-%d}" in response.text


def test_the_clock_skips_the_national_holiday_and_counts_make_up_days(county):
    # Tuesday 30 September 2025: 1–8 October are the holiday, Saturday 11 October a make-up working day.
    assert chinese_calendar.is_workday(datetime.date(2025, 10, 11))
    received = datetime.datetime(2025, 9, 30, 10, tzinfo=datetime.UTC)
    with schema_context(county.schema):
        report, _ = actions.submit_error_report(
            {"page_url": "/", "page_title": "首页", "body": "首页联系电话有误。"}, received_at=received)
    assert report.due_date == datetime.date(2025, 10, 11)


def test_the_deadline_is_the_regions_setting(county, article, settings):
    settings.INTERACTION_ERROR_REPORT_WORKING_DAYS = 5
    assert "5 个工作日" in county.client().get(FORM, {"url": ARTICLE}).text
    send(county)
    [report] = reports(county)
    assert report.reply_days == 5


def test_a_full_address_on_the_sites_own_domain_is_accepted_and_the_contact_may_be_left_out(county, article):
    response, (code, _) = send(county, url=f"http://{county.host}{ARTICLE}", contact="")
    assert response.status_code == 200 and code
    [report] = reports(county)
    assert report.page_url == ARTICLE and report.phone == "" and report.email == ""


def test_an_email_address_is_kept_as_one(county, article):
    send(county, contact="citizen@example.com")
    [report] = reports(county)
    assert report.email == "citizen@example.com" and report.phone == ""


@pytest.mark.parametrize(("overrides", "error"), [
    ({"body": ""}, "请写明哪里有错"),
    ({"body": "错"}, "请写清楚哪里有错（至少 5 个字）"),
    ({"body": "错" * 3001}, "3000"),
    ({"url": ""}, "请填写出错页面的网址"),
    ({"url": "https://www.example.com/xwdt/"}, "不是本网站的页面"),
    ({"url": "//evil.example/xwdt/"}, "不是本网站的页面"),
    ({"url": "javascript:alert(1)"}, "不是本网站的页面"),
    ({"url": "/admin/pages/"}, "不是本网站的页面"),
    ({"url": "/xwdt/no-such-article/"}, "本网站没有这个页面"),
    ({"url": "http://[::1"}, "不是本网站的页面"),
    ({"url": "/" + "a" * 600}, "500"),
    ({"contact": "call me"}, "请填写有效的电话号码或电子邮箱"),
    ({"contact": "someone@"}, "请填写有效的电子邮箱或电话号码"),
    ({"contact": "1" * 40}, "请填写有效的电话号码或电子邮箱"),
    ({"captcha_1": "WRONG"}, "验证码不正确，请重新输入"),
])
def test_bad_input_is_refused_clearly_and_nothing_is_stored(county, article, overrides, error):
    response, (code, _) = send(county, **overrides)
    assert response.status_code == 400
    assert code is None
    assert error in response.text and "纠错信息未提交" in response.text
    assert reports(county) == []


def test_a_link_from_a_foreign_address_shows_the_form_with_the_problem(county):
    response = county.client().get(FORM, {"url": "https://phishing.example/login/"})
    assert response.status_code == 200
    assert "这个地址不是本网站的页面" in response.text and "您要纠错的页面" not in response.text


def test_reports_share_the_mailbox_rate_limit_without_losing_the_text(county, article, settings):
    settings.INTERACTION_SUBMIT_RATE = "2/m"
    for _ in range(2):
        assert send(county)[0].status_code == 200
    response, (code, _) = send(county, body="第三次提交的纠错内容。")
    assert response.status_code == 429 and code is None
    assert "提交过于频繁" in response.text and "第三次提交的纠错内容。" in response.text
    assert len(reports(county)) == 2


def test_the_mailbox_offers_no_error_report_category(county):
    response = county.client().get("/hdjl/ldxx/")
    assert 'value="error_report"' not in response.text
    response = county.client().post("/hdjl/ldxx/", {
        "category": "error_report", "subject": "主题", "body": "想通过信箱提交纠错。", "phone": "13800000000",
        "captcha_0": "k", "captcha_1": "PASSED",
    })
    assert response.status_code == 400
    assert reports(county) == []


def test_the_citizen_looks_the_report_and_its_answer_up(county, article):
    _, (code, password) = send(county)
    letter = new_message(county, "一封普通留言")
    wrong = county.client().post(FORM + "query/", {"tracking_code": letter.tracking_code, "password": "x"})
    assert wrong.status_code == 404 and "查询码或查询密码不正确" in wrong.text
    response = county.client().post(FORM + "query/", {"tracking_code": code.lower(), "password": password})
    assert response.status_code == 200
    assert "正在处理中" in response.text and ARTICLE in response.text
    with schema_context(county.schema):
        report = Message.objects.get(tracking_code=code)
        actions.reply_to_message(report, reply="<p>已改正，谢谢。</p>", publish=False, acting_user=None)
    response = county.client().post(FORM + "query/", {"tracking_code": code, "password": password})
    assert "已改正，谢谢。" in response.text and "已答复" in response.text


def test_the_report_is_in_the_inbox_marked_and_filterable_and_answering_it_counts_in_the_annual_report(
    county, article
):
    _, (code, _) = send(county)
    new_message(county, "一封普通留言")
    admin = county.admin_client()
    listing = admin.get("/admin/messages/", {"category": "error_report"}).text
    assert f"纠错：{TITLE}" in listing and '<span class="inbox-tag">纠错</span>' in listing
    assert "一封普通留言" not in listing and "网民纠错 1 件" in listing
    assert "剩 3 个工作日" in listing
    assert "一封普通留言" in admin.get("/admin/messages/").text
    with schema_context(county.schema):
        report = Message.objects.get(tracking_code=code)
    detail = admin.get(f"/admin/messages/{report.pk}/").text
    assert f'<a href="{ARTICLE}" target="_blank" rel="noopener">{ARTICLE}</a>' in detail
    assert f"{report.due_date:%Y-%m-%d}（3 个工作日）" in detail

    year = timezone.localdate().year
    with schema_context(county.schema):
        before = compute(year, county.site)
    assert before["error_reports_received"] == 1 and before["error_reports_on_time"] == 0
    assert before["messages_received"] == 1  # the letter only: a report is not counted twice

    response = admin.post(f"/admin/messages/{report.pk}/", {"action": "reply", "reply": draftail("已改正，谢谢指正。")})
    assert response.status_code == 302
    with schema_context(county.schema):
        report.refresh_from_db()
        after = compute(year, county.site)
    assert report.status == Status.REPLIED and not report.is_published
    assert after["error_reports_received"] == 1 and after["error_reports_on_time"] == 1
    assert after["error_reports_late"] == 0 and after["messages_answered"] == 0


def test_a_report_answered_after_its_deadline_counts_as_late(county):
    received = timezone.now() - datetime.timedelta(days=30)
    with schema_context(county.schema):
        late, _ = actions.submit_error_report({"page_url": "/", "body": "首页图片打不开。"}, received_at=received)
        waiting, _ = actions.submit_error_report({"page_url": "/", "body": "首页链接失效。"}, received_at=received)
        actions.reply_to_message(late, reply="<p>已修复。</p>", publish=False, acting_user=None)
        figures = compute(timezone.localdate(received).year, county.site)
    assert waiting.status == Status.NEW
    assert figures["error_reports_received"] == 2
    assert figures["error_reports_on_time"] == 0 and figures["error_reports_late"] == 2
