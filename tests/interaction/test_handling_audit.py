"""Handling a citizen's message and taking personal data out are rows of the platform's audit trail
(等保: who handled which message, who downloaded or exported citizens' data, from where)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from interaction import actions
from interaction.models import MailboxPage
from tenants.models import AuditAction, AuditEvent
from tests import files
from tests.interaction.test_inbox import draftail, new_message


def trail(site, message):
    return list(AuditEvent.objects.filter(site=site, detail__message=message.tracking_code).order_by("id"))


def test_every_handling_step_is_audited_with_the_editor_and_the_message(county):
    message = new_message(county, "路灯不亮")
    client = county.admin_client()
    client.post(f"/admin/messages/{message.pk}/", {"action": "assign", "department": "城管局"})
    client.post(f"/admin/messages/{message.pk}/", {"action": "reply", "reply": draftail("已修复。"), "publish": "on"})
    client.post(f"/admin/messages/{message.pk}/", {"action": "unpublish"})
    client.post(f"/admin/messages/{message.pk}/", {"action": "publish"})
    client.post(f"/admin/messages/{message.pk}/", {"action": "close"})

    events = trail(county.site, message)
    assert [e.action for e in events] == [
        AuditAction.ASSIGN_MESSAGE, AuditAction.REPLY_MESSAGE, AuditAction.UNPUBLISH_MESSAGE,
        AuditAction.PUBLISH_MESSAGE, AuditAction.CLOSE_MESSAGE,
    ]
    assert {(e.actor_label, e.actor_id, e.source) for e in events} == {("admin", None, "127.0.0.1")}
    assert events[0].detail["department"] == "城管局" and events[1].detail["published"] is True
    assert events[0].action_display == "分办留言"

    invalid = new_message(county, "广告")
    client.post(f"/admin/messages/{invalid.pk}/", {"action": "invalid", "reason": "spam", "note": ""})
    assert [e.action for e in trail(county.site, invalid)] == [AuditAction.INVALID_MESSAGE]


def test_a_refused_step_leaves_no_row(county):
    message = new_message(county)
    county.admin_client().post(f"/admin/messages/{message.pk}/", {"action": "close"})  # not replied yet
    assert trail(county.site, message) == []


def test_downloading_a_citizens_attachment_is_audited(county, django_capture_on_commit_callbacks):
    with schema_context(county.schema), django_capture_on_commit_callbacks(execute=True):
        data = {"category": "enquiry", "subject": "附件", "body": "见附件材料。", "phone": "13800000000",
                "attachment": SimpleUploadedFile("身份证复印件.pdf", files.pdf())}
        message, _ = actions.submit_message(MailboxPage.objects.get(), data)
    response = county.admin_client().get(f"/admin/messages/{message.pk}/attachment/")
    assert response.status_code == 200
    [event] = trail(county.site, message)
    assert event.action == AuditAction.DOWNLOAD_ATTACHMENT and event.detail["file"] == "身份证复印件.pdf"
