"""A mailbox exchange is published only after the 错敏词 check: the citizen's words and the reply both go
out, so a serious error keeps it unpublished and personal data needs a written reason; the reply is
saved either way."""

from django_tenants.utils import schema_context

from interaction.models import Message
from tenants.models import AuditAction, AuditEvent
from tests.interaction.test_inbox import draftail, new_message


def posted(client, message, **data):
    return client.post(f"/admin/messages/{message.pk}/", data, follow=True).content.decode()


def reloaded(site, message):
    with schema_context(site.schema):
        return Message.objects.get(pk=message.pk)


def test_a_serious_error_in_the_reply_keeps_the_exchange_unpublished_and_the_reply_saved(county):
    message = new_message(county, subject="国庆假期办事大厅开放吗")
    client = county.admin_client()
    page = posted(client, message, action="reply", reply=draftail("中华人民共合国成立纪念日期间正常办公。"),
                  publish="on")
    assert "含有严重错误，未公开" in page and "<mark>中华人民共合国</mark>" in page
    message = reloaded(county, message)
    assert not message.is_published and "中华人民共合国" in message.reply
    assert AuditEvent.objects.filter(site=county.site, action=AuditAction.REFUSE_WORDING,
                                     detail__message=message.tracking_code).exists()
    posted(client, message, action="reply", reply=draftail("国庆节期间正常办公。"), publish="on")
    assert reloaded(county, message).is_published


def test_a_mobile_number_in_the_citizens_words_needs_a_reason_before_it_is_published(county):
    message = new_message(county, body="我的电话是 13912345678，请回电。")
    client = county.admin_client()
    page = posted(client, message, action="reply", reply=draftail("已回电。"), publish="on")
    assert "疑似错误或个人信息，未公开" in page and "<mark>13912345678</mark>" in page
    assert not reloaded(county, message).is_published
    page = posted(client, message, action="publish", confirm_reason="留言人同意公开其联系方式")
    assert reloaded(county, message).is_published
    confirmed = AuditEvent.objects.get(site=county.site, action=AuditAction.CONFIRM_WORDING)
    assert confirmed.detail["reason"] == "留言人同意公开其联系方式"
    assert confirmed.detail["hits"][0]["found"] == "13912345678"
