"""The citizen's side of the mailbox: write, get a code, look it up, read published replies."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tenants.utils import schema_context

from interaction import actions
from interaction.models import MailboxPage, Message, Status
from tests import files

MAILBOX = "/hdjl/ldxx/"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
XSS_SHORT = "<img src=x onerror=alert(1)>"


def form_data(**overrides):
    data = {
        "category": "enquiry",
        "subject": "新生儿医保怎么办理",
        "body": "孩子刚出生，想给孩子办理城乡居民医保，需要哪些材料？",
        "phone": "028-12345678",
        "email": "",
        "name": "张三",
        "allow_public": "on",
        "captcha_0": "any-key",
        "captcha_1": "PASSED",  # CAPTCHA_TEST_MODE in test settings
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(site, **overrides):
    response = site.client().post(MAILBOX, form_data(**overrides))
    codes = re.search(r'id="tracking-code">([0-9A-Z]+)<.*?id="query-password">([0-9A-Z]+)<', response.text, re.S)
    return response, (codes.groups() if codes else (None, None))


def stored(site, code):
    with schema_context(site.schema):
        return Message.objects.filter(tracking_code=code).first()


def test_every_site_has_a_mailbox_in_its_interaction_column(county):
    response = county.client().get(MAILBOX)
    assert response.status_code == 200
    assert "提交留言" in response.text and "验证码" in response.text
    assert "15 个工作日" in response.text
    # The form carries a CSRF token and a captcha: never cached anywhere.
    assert "no-store" in response["Cache-Control"]


def test_a_submitted_message_is_stored_before_its_code_is_shown(county):
    response, (code, password) = submit(county)
    assert response.status_code == 200
    assert code and password
    assert "no-store" in response["Cache-Control"]
    message = stored(county, code)
    assert message is not None and message.status == Status.NEW
    assert message.subject == "新生儿医保怎么办理" and message.phone == "028-12345678"
    assert password not in message.password_hash and message.check_password(password)
    assert message.due_date > message.received_at.date()


def test_the_citizen_looks_up_status_and_reply_with_code_and_password(county):
    _, (code, password) = submit(county)
    client = county.client()
    response = client.post(MAILBOX + "query/", {"tracking_code": code.lower(), "password": password})
    assert response.status_code == 200
    assert "正在办理中" in response.text and "新生儿医保怎么办理" in response.text

    with schema_context(county.schema):
        actions.reply_to_message(
            stored(county, code), reply="<p>请携带出生医学证明办理。</p>", publish=True, acting_user=None
        )
    response = client.post(MAILBOX + "query/", {"tracking_code": code, "password": password})
    assert "请携带出生医学证明办理。" in response.text and "已答复" in response.text


def test_a_wrong_password_or_another_sites_code_finds_nothing(county, city):
    _, (code, password) = submit(county)
    wrong = county.client().post(MAILBOX + "query/", {"tracking_code": code, "password": "WRONGPW2"})
    assert wrong.status_code == 404 and "查询码或查询密码不正确" in wrong.text
    elsewhere = city.client().post(MAILBOX + "query/", {"tracking_code": code, "password": password})
    assert elsewhere.status_code == 404 and "新生儿医保" not in elsewhere.text


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"phone": "", "email": ""}, "电话和电子邮箱至少填写一项"),
        ({"phone": "call me"}, "请填写有效的电话号码"),
        ({"email": "not-an-address", "phone": ""}, "有效的 Email 地址"),
        ({"body": "短"}, "留言内容太短"),
        ({"body": "很" * 3001}, "3000"),
        ({"subject": ""}, "这个字段是必须的"),
        ({"category": "bribe"}, "选择一个有效的选项"),
        ({"captcha_1": "WRONG"}, "验证码"),
    ],
)
def test_bad_input_is_refused_clearly_and_what_was_typed_stays(county, overrides, error):
    response, (code, _) = submit(county, **overrides)
    assert response.status_code == 400
    assert code is None
    assert error in response.text
    assert "留言未提交" in response.text
    if "subject" not in overrides:
        assert 'value="新生儿医保怎么办理"' in response.text
    with schema_context(county.schema):
        assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ\x90\x00", "只接受"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "文件内容与文件类型不符"),
        ("big.pdf", b"%PDF-1.7" + b"0" * (5 * 1024 * 1024), "不能超过 5 MB"),
        # Any zip passed as a docx by its first bytes, a PDF with script by its header.
        ("材料.docx", files.zip_of({"a.txt": "not a document"}), "文件内容与文件类型不符"),
        ("材料.pdf", files.pdf(javascript="app.alert(1)"), "活动内容"),
        ("材料.docx", files.docx(macros=True), "宏"),
    ],
)
def test_attachments_are_checked_by_type_content_and_size(county, name, content, error):
    response = county.client().post(MAILBOX, {**form_data(), "attachment": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and error in response.text


def test_an_accepted_attachment_is_private(county, django_capture_on_commit_callbacks):
    pdf = SimpleUploadedFile("证明材料.pdf", files.pdf())
    with django_capture_on_commit_callbacks(execute=True):
        response = county.client().post(MAILBOX, {**form_data(), "attachment": pdf})
    code = re.search(r'id="tracking-code">([0-9A-Z]+)<', response.text).group(1)
    message = stored(county, code)
    assert message.attachment_name == "证明材料.pdf"
    with schema_context(county.schema):
        assert message.attachment.storage.exists(message.attachment.name)
    # No public URL maps to it: not under /media/, not by its stored name.
    assert county.client().get("/media/" + message.attachment.name).status_code == 404


def test_submissions_from_one_address_are_rate_limited_without_losing_the_text(county, settings):
    settings.INTERACTION_SUBMIT_RATE = "2/m"
    assert submit(county)[1][0]
    assert submit(county)[1][0]
    response, (code, _) = submit(county, subject="第三封信")
    assert response.status_code == 429 and code is None
    assert "提交过于频繁" in response.text and 'value="第三封信"' in response.text
    # Another address is not affected.
    other = county.client(REMOTE_ADDR="10.1.2.3").post(MAILBOX, form_data())
    assert other.status_code == 200


def test_lookups_are_rate_limited(county, settings):
    settings.INTERACTION_LOOKUP_RATE = "3/h"
    client = county.client()
    for _ in range(3):
        assert client.post(MAILBOX + "query/", {"tracking_code": "X", "password": "Y"}).status_code == 404
    assert client.post(MAILBOX + "query/", {"tracking_code": "X", "password": "Y"}).status_code == 429


def test_html_in_every_field_is_stripped_and_renders_inert(county):
    response, (code, password) = submit(
        county, subject="问题" + XSS, body="内容很长很长" + XSS, name="李四" + XSS_SHORT
    )
    assert response.status_code == 200
    message = stored(county, code)
    for value in (message.subject, message.body, message.name):
        assert "<" not in value and "onerror" not in value
    with schema_context(county.schema):
        actions.reply_to_message(
            message, reply='<p>答复<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>',
            publish=True, acting_user=None,
        )
    pages = [
        county.client().post(MAILBOX + "query/", {"tracking_code": code, "password": password}).text,
        county.client().get(MAILBOX + "replies/").text,
        county.client().get(f"{MAILBOX}replies/{code}/").text,
        county.admin_client().get(f"/admin/messages/{message.pk}/").text,
    ]
    for html in pages:
        assert "<script>alert" not in html and "onerror=" not in html and "javascript:alert" not in html


def test_the_public_list_shows_only_published_exchanges_the_citizen_allowed(county):
    _, (public_code, _) = submit(county, subject="公开的问题")
    _, (private_code, _) = submit(county, subject="不愿公开的问题", allow_public=None)
    _, (unpublished_code, _) = submit(county, subject="未公开的问题")
    with schema_context(county.schema):
        for code, publish in ((public_code, True), (private_code, True), (unpublished_code, False)):
            message = Message.objects.get(tracking_code=code)
            actions.reply_to_message(message, reply="<p>已答复</p>", publish=publish, acting_user=None)
    response = county.client().get(MAILBOX + "replies/")
    assert response.status_code == 200
    assert "公开的问题" in response.text
    assert "不愿公开的问题" not in response.text and "未公开的问题" not in response.text
    # Contact details and names are never public.
    assert "028-12345678" not in response.text and "张三" not in response.text
    detail = county.client().get(f"{MAILBOX}replies/{public_code}/")
    assert detail.status_code == 200 and "028-12345678" not in detail.text and "张三" not in detail.text
    assert county.client().get(f"{MAILBOX}replies/{private_code}/").status_code == 404
    # Search.
    assert "公开的问题" not in county.client().get(MAILBOX + "replies/", {"q": "电梯"}).text


def test_the_public_list_and_statistics_are_the_same_for_every_visitor(county):
    _, (code, _) = submit(county)
    with schema_context(county.schema):
        actions.reply_to_message(stored(county, code), reply="<p>答复</p>", publish=True, acting_user=None)
    first = county.client().get(MAILBOX + "replies/")
    second = county.client(REMOTE_ADDR="10.9.9.9").get(MAILBOX + "replies/")
    assert first.content == second.content
    assert "Set-Cookie" not in first.headers and "csrfmiddlewaretoken" not in first.text
    assert "Cookie" not in first.get("Vary", "")
    assert re.search(r"收到有效留言</dt><dd>1 件", first.text)
    assert re.search(r"已答复</dt><dd>1 件", first.text)


def test_statistics_count_valid_messages_and_average_working_days(county):
    with schema_context(county.schema):
        mailbox = MailboxPage.objects.get()
        import datetime

        from django.utils import timezone

        received = timezone.make_aware(datetime.datetime(2026, 9, 28, 10))  # Monday
        data = {"category": "enquiry", "subject": "s", "body": "正文正文正文", "phone": "12345678"}
        first, _ = actions.submit_message(mailbox, data, received_at=received)
        actions.reply_to_message(first, reply="<p>r</p>", publish=False, acting_user=None)
        first.replied_at = timezone.make_aware(datetime.datetime(2026, 10, 9, 10))  # across National Day
        first.save()
        spam, _ = actions.submit_message(mailbox, data, received_at=received)
        actions.mark_invalid(spam, reason="spam", note="", acting_user=None)
        from interaction.models import statistics

        stats = statistics(Message.objects.all())
    # 29, 30 Sep, 8, 9 Oct: four working days.
    assert stats == {"received": 1, "answered": 1, "average_days": 4.0}


def test_an_invalid_message_tells_the_citizen_why(county):
    _, (code, password) = submit(county)
    with schema_context(county.schema):
        actions.mark_invalid(stored(county, code), reason="out_of_scope", note="请向市级信箱反映", acting_user=None)
    response = county.client().post(MAILBOX + "query/", {"tracking_code": code, "password": password})
    assert "不属于本机关职责范围" in response.text and "请向市级信箱反映" in response.text


def test_paging_through_search_results_keeps_the_search(county):
    with schema_context(county.schema):
        mailbox = MailboxPage.objects.get()
        data = {"category": "enquiry", "body": "关于公积金提取的问题。", "phone": "12345678", "allow_public": True}
        for n in range(21):
            message, _ = actions.submit_message(mailbox, {**data, "subject": f"公积金问题 {n}"})
            actions.reply_to_message(message, reply="<p>答复</p>", publish=True, acting_user=None)
    first = county.client().get(MAILBOX + "replies/", {"q": "公积金"})
    assert "共 21 条" in first.text
    assert 'href="/hdjl/ldxx/replies/?q=%E5%85%AC%E7%A7%AF%E9%87%91&amp;page=2"' in first.text
    second = county.client().get(MAILBOX + "replies/", {"q": "公积金", "page": "2"})
    assert second.text.count("公积金问题") == 1


class Interrupted(Exception):
    pass


def private_files(site):
    from django.conf import settings

    folder = settings.PRIVATE_MEDIA_ROOT / site.schema
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_message_rolled_back_leaves_no_file_behind(county, django_capture_on_commit_callbacks):
    before = private_files(county)
    data = {**form_data(), "attachment": SimpleUploadedFile("身份证明.pdf", files.pdf())}
    with (schema_context(county.schema), django_capture_on_commit_callbacks(execute=True),
          pytest.raises(Interrupted), transaction.atomic()):
        actions.submit_message(MailboxPage.objects.get(), data)
        raise Interrupted  # anything failing before the commit
    assert private_files(county) == before


def test_a_committed_message_keeps_its_file(county, django_capture_on_commit_callbacks):
    data = {**form_data(), "attachment": SimpleUploadedFile("身份证明.pdf", files.pdf())}
    with (schema_context(county.schema), django_capture_on_commit_callbacks(execute=True),
          transaction.atomic()):
        message, _ = actions.submit_message(MailboxPage.objects.get(), data)
    with schema_context(county.schema):
        assert message.attachment.storage.exists(message.attachment.name)
