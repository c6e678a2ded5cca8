"""The editors' inbox in a site's Wagtail admin: deadlines, assignment, replies, publication, isolation."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from interaction import actions
from interaction.models import MailboxPage, Message, Status
from tenants.models import AuditAction, AuditEvent
from tests import files


def draftail(text):
    return json.dumps({
        "blocks": [{"key": "k1", "text": text, "type": "unstyled", "depth": 0,
                    "inlineStyleRanges": [], "entityRanges": [], "data": {}}],
        "entityMap": {},
    })


def new_message(site, subject="咨询问题", days_ago=0, **fields):
    with schema_context(site.schema):
        data = {"category": "enquiry", "subject": subject, "body": "请问如何办理？谢谢。", "phone": "13800000000",
                "email": "citizen@example.com", "name": "王五", "allow_public": True, **fields}
        received = timezone.now() - datetime.timedelta(days=days_ago)
        message, _ = actions.submit_message(MailboxPage.objects.get(), data, received_at=received)
        return message


def sidebar_labels(client):
    """The labels of the admin's sidebar menu (rendered as JSON props for Wagtail's sidebar)."""
    html = client.get("/admin/").text
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    return json.dumps(json.loads(props.group(1)), ensure_ascii=False)


def make_editor(site, username, email="", group="编辑"):
    with schema_context(site.schema):
        user = get_user_model().objects.create_user(username, email=email, password="pass-1234-abcd",
                                                    first_name=username)
        user.groups.add(Group.objects.get(name=group))
        return user


def test_the_inbox_lists_overdue_messages_first_with_their_deadline_colour(county):
    fresh = new_message(county, "昨天的留言", days_ago=1)
    overdue = new_message(county, "超期的留言", days_ago=60)
    response = county.admin_client().get("/admin/messages/")
    assert response.status_code == 200
    html = response.text
    assert html.index("超期的留言") < html.index("昨天的留言")
    assert "inbox-urgency--overdue" in html and "已超期" in html
    assert "其中超期 <strong>1</strong> 件" in html
    # The menu says it too.
    assert "群众留言（1 条超期）" in sidebar_labels(county.admin_client())
    assert fresh.urgency() in ("on-time", "due-soon") and overdue.urgency() == "overdue"


def test_an_editor_sees_the_contact_details_masked_and_in_full_on_request_which_is_audited(county):
    message = new_message(county)
    client = county.admin_client()
    masked = client.get(f"/admin/messages/{message.pk}/").content.decode()
    assert "138****0000" in masked and "c***@example.com" in masked
    assert "13800000000" not in masked and "citizen@example.com" not in masked
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA, site=county.site).exists()

    full = client.post(f"/admin/messages/{message.pk}/", {"action": "reveal"})
    assert full.status_code == 200 and "no-store" in full["Cache-Control"]
    assert "13800000000" in full.content.decode() and "citizen@example.com" in full.content.decode()
    assert "本次查看已记入审计记录" in full.content.decode()
    viewed = AuditEvent.objects.get(action=AuditAction.VIEW_PERSONAL_DATA, site=county.site)
    assert viewed.actor_label == "admin" and viewed.detail == {"message": message.tracking_code}
    assert "13800000000" not in client.get(f"/admin/messages/{message.pk}/").content.decode(), "masked again"


def test_assigning_mails_the_colleague_and_a_crafted_subject_cannot_inject_headers(
    county, django_capture_on_commit_callbacks
):
    colleague = make_editor(county, "liu", email="liu@example.gov.cn")
    with schema_context(county.schema):
        message = new_message(county)
        Message.objects.filter(pk=message.pk).update(subject="急\r\nBcc: everyone@example.com")
    mail.outbox.clear()
    client = county.admin_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/messages/{message.pk}/", {"action": "assign", "assignee": colleague.pk, "department": "民政局"}
        )
    assert response.status_code == 302
    with schema_context(county.schema):
        message.refresh_from_db()
    assert message.status == Status.ASSIGNED and message.department == "民政局"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["liu@example.gov.cn"] and not sent.bcc
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert message.tracking_code in sent.body


def test_reply_is_sanitised_published_and_reaches_the_public_list(county):
    message = new_message(county, "公开答复测试")
    client = county.admin_client()
    response = client.post(f"/admin/messages/{message.pk}/", {
        "action": "reply", "reply": draftail("您好，<script>alert(1)</script>请到政务大厅办理。"), "publish": "on",
    })
    assert response.status_code == 302
    with schema_context(county.schema):
        message.refresh_from_db()
    assert message.status == Status.REPLIED and message.is_published and message.replied_at
    assert "<script>" not in message.reply and "请到政务大厅办理" in message.reply
    public = county.client().get("/hdjl/ldxx/replies/")
    assert "公开答复测试" in public.text
    # Closing keeps it public; unpublishing takes it off.
    client.post(f"/admin/messages/{message.pk}/", {"action": "close"})
    client.post(f"/admin/messages/{message.pk}/", {"action": "unpublish"})
    with schema_context(county.schema):
        message.refresh_from_db()
    assert message.status == Status.CLOSED and not message.is_published
    assert "公开答复测试" not in county.client().get("/hdjl/ldxx/replies/").text


def test_a_message_the_citizen_did_not_allow_cannot_be_published(county):
    message = new_message(county, allow_public=False)
    client = county.admin_client()
    client.post(f"/admin/messages/{message.pk}/", {"action": "reply", "reply": draftail("答复"), "publish": "on"})
    response = client.post(f"/admin/messages/{message.pk}/", {"action": "publish"}, follow=True)
    assert "留言人未同意公开" in response.text
    with schema_context(county.schema):
        message.refresh_from_db()
    assert not message.is_published


def test_an_empty_reply_or_incomplete_action_is_refused_with_the_form_again(county):
    message = new_message(county)
    client = county.admin_client()
    response = client.post(f"/admin/messages/{message.pk}/", {"action": "assign", "assignee": "", "department": ""})
    assert response.status_code == 400 and "请选择承办人或填写承办部门" in response.text
    response = client.post(f"/admin/messages/{message.pk}/", {"action": "invalid", "reason": "bogus"})
    assert response.status_code == 400
    # An empty editor still posts a paragraph: that is no reply.
    response = client.post(f"/admin/messages/{message.pk}/", {"action": "reply", "reply": draftail("")}, follow=True)
    assert "答复内容不能为空" in response.text
    with schema_context(county.schema):
        message.refresh_from_db()
    assert message.status == Status.NEW


def test_an_account_without_the_mailbox_permission_is_refused(county):
    with schema_context(county.schema):
        user = get_user_model().objects.create_user("reader", password="pass-1234-abcd")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = county.client()
    assert client.post("/admin/login/", {"username": "reader", "password": "pass-1234-abcd"}).status_code == 302
    # Wagtail's admin answers a denied page with a redirect to the dashboard and a message.
    response = client.get("/admin/messages/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "群众留言" not in sidebar_labels(client)


def test_another_sites_editor_never_sees_this_sites_messages(county, city):
    message = new_message(county, "只属于锦江区的留言")
    city_admin = city.admin_client()
    response = city_admin.get(f"/admin/messages/{message.pk}/")
    assert "只属于锦江区的留言" not in response.text
    assert "只属于锦江区的留言" not in city_admin.get("/admin/messages/?filter=all").text
    # The county's session means nothing on the city's host.
    county_admin = county.admin_client()
    county_admin.defaults["HTTP_HOST"] = city.host
    assert county_admin.get("/admin/messages/").status_code == 302  # to the city's login page


@pytest.mark.parametrize("filter_name", ["open", "overdue", "replied", "closed", "invalid", "all", "nonsense"])
def test_every_inbox_filter_answers(county, filter_name):
    new_message(county)
    assert county.admin_client().get(f"/admin/messages/?filter={filter_name}&p=abc").status_code == 200


def test_the_attachment_downloads_for_editors_only(county, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = files.pdf()
    with schema_context(county.schema), django_capture_on_commit_callbacks(execute=True):
        data = {"category": "enquiry", "subject": "附件", "body": "见附件材料。", "phone": "13800000000",
                "attachment": SimpleUploadedFile("材料.pdf", content)}
        message, _ = actions.submit_message(MailboxPage.objects.get(), data)
    response = county.admin_client().get(f"/admin/messages/{message.pk}/attachment/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert "attachment" in response["Content-Disposition"]
    assert county.client().get(f"/admin/messages/{message.pk}/attachment/").status_code == 302
