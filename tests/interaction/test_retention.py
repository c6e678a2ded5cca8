"""Citizens' personal data is not kept for ever: after PERSONAL_DATA_RETENTION_YEARS a handled message loses
its name, phone, e-mail and attachment, a closed consultation's feedback its name and contact; the
messages, replies and statistics stay, and each site's clearing is audited. The masks are tested here too."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from interaction import actions, privacy
from interaction.models import Feedback, MailboxPage, Message, Status
from tenants.models import AuditAction, AuditEvent
from tests import files
from tests.interaction.test_consultations import make_consultation
from tests.interaction.test_inbox import new_message


def anonymise(*sites):
    out = io.StringIO()
    call_command("anonymise_personal_data", *[arg for s in sites for arg in ("--site", s.site.region_code)],
                 stdout=out)
    return out.getvalue()


def test_old_handled_messages_lose_their_personal_data_and_nothing_else(county, settings,
                                                                       django_capture_on_commit_callbacks):
    settings.PERSONAL_DATA_RETENTION_YEARS = 3
    long_ago = 365 * 3 + 10
    with schema_context(county.schema), django_capture_on_commit_callbacks(execute=True):
        data = {"category": "enquiry", "subject": "旧附件", "body": "见附件。", "phone": "13800000000", "name": "王五",
                "attachment": SimpleUploadedFile("户口本.pdf", files.pdf())}
        with_file, _ = actions.submit_message(MailboxPage.objects.get(), data,
                                              received_at=timezone.now() - timedelta(days=long_ago))
    old_closed = new_message(county, "三年前办结", days_ago=long_ago)
    old_open = new_message(county, "三年前未办", days_ago=long_ago)  # never handled: kept for its handling
    recent = new_message(county, "去年办结", days_ago=365)
    with schema_context(county.schema):
        Message.objects.filter(pk__in=[with_file.pk, old_closed.pk, recent.pk]).update(status=Status.CLOSED,
                                                                                          reply="已答复。")
        stored = Message.objects.get(pk=with_file.pk).attachment
        assert stored.storage.exists(stored.name)

    assert "其中 1 个站点清除了过期的个人信息" in anonymise(county)
    with schema_context(county.schema):
        for pk in (with_file.pk, old_closed.pk):
            cleared = Message.objects.get(pk=pk)
            assert (cleared.name, cleared.phone, cleared.email, cleared.attachment.name) == ("", "", "", "")
            assert cleared.anonymised_at is not None and cleared.reply == "已答复。" and cleared.body
        assert not stored.storage.exists(stored.name), "the attachment's file is gone too"
        for pk in (old_open.pk, recent.pk):
            assert Message.objects.get(pk=pk).phone == "13800000000"
    event = AuditEvent.objects.get(action=AuditAction.ANONYMISE_PERSONAL_DATA, site=county.site)
    assert event.detail == {"messages": 2, "feedback": 0, "years": 3} and event.actor_label.startswith("cli:")

    page = county.admin_client().get(f"/admin/messages/{old_closed.pk}/").content.decode()
    assert "个人信息已于" in page and "查看完整信息" not in page
    anonymise(county)  # again: nothing more to clear, no new row
    assert AuditEvent.objects.filter(action=AuditAction.ANONYMISE_PERSONAL_DATA).count() == 1


def test_feedback_on_a_long_closed_consultation_loses_names_and_contacts(county, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 1
    page = make_consultation(county, opens_in_days=-500, closes_in_days=-400)
    with schema_context(county.schema):
        Feedback.objects.create(consultation=page, name="赵六", contact="13900000000", comment="同意")
    anonymise(county)
    with schema_context(county.schema):
        feedback = Feedback.objects.get(consultation=page)
        assert (feedback.name, feedback.contact, feedback.comment) == ("", "", "同意")


def test_an_unknown_site_is_named(db):
    with pytest.raises(CommandError, match="找不到这些区划代码的站点：999999"):
        call_command("anonymise_personal_data", "--site", "999999")


@pytest.mark.parametrize(("mask", "value", "masked"), [
    (privacy.mask_name, "王五", "王*"), (privacy.mask_name, "欧阳修远", "欧***"), (privacy.mask_name, "", ""),
    (privacy.mask_phone, "13800000000", "138****0000"), (privacy.mask_phone, "028-8765 4321", "028****4321"),
    (privacy.mask_phone, "110", "***"), (privacy.mask_email, "citizen@example.com", "c***@example.com"),
    (privacy.mask_contact, "微信 wx123", "微***"), (privacy.mask_contact, "zhao@example.cn", "z***@example.cn"),
])
def test_the_masks_keep_enough_to_tell_people_apart_and_nothing_to_reach_them(mask, value, masked):
    assert mask(value) == masked
