"""Every change to a citizen message, as one function each (the admin views are thin wrappers).

Each runs inside the caller's site schema and transaction; notifications go out on commit
and never undo the change when mail fails. Each handling step is a row of the platform's audit
trail (等保: who handled which citizen's message, from where), written in the same transaction.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from tenants import audit
from tenants.models import AuditAction
from wording.checks import check_texts, held
from wording.scan import Item, page_path

from .models.messages import Category, Message, Status, attachment_path, random_code
from .sanitise import one_line, plain_text, reply_html
from .storage import PrivateSiteStorage, free_name, save_after_commit

logger = logging.getLogger(__name__)


class MessageActionError(Exception):
    """The change is not allowed in the message's current state; the message says why, in Chinese."""


def submit_message(mailbox, data, *, received_at=None):
    """Store a citizen's message; return it and its query password (shown once, stored hashed).

    The caller commits before showing the code: a code on screen always means a stored message.
    An attachment is written to disk only once the message's row has committed: a rollback leaves
    no file with a citizen's personal data behind.
    """
    password = random_code(8)
    attachment = data.get("attachment")
    message = Message.new(
        reply_days=mailbox.reply_days, password=password, received_at=received_at, mailbox=mailbox,
        category=data["category"], subject=data["subject"], body=data["body"], name=data.get("name", ""),
        phone=data.get("phone", ""), email=data.get("email", ""), allow_public=bool(data.get("allow_public")),
        attachment_name=one_line(attachment.name)[:255] if attachment else "",
    )
    _unique_code(message)
    if attachment:
        storage = PrivateSiteStorage(schema=connection.schema_name)
        message.attachment.name = free_name(storage, lambda: attachment_path(message, attachment.name))
    message.save()
    if attachment:
        save_after_commit(storage, message.attachment.name, attachment)
    return message, password


def submit_error_report(data, *, received_at=None):
    """Store a citizen's error report (纠错) about a page of this site; return it and its query password.

    `data`: page_url (a path on this site, checked by the caller), page_title, body, phone, email.
    As with a message, the caller commits before showing the code. Its deadline is the region's for
    error reports (INTERACTION_ERROR_REPORT_WORKING_DAYS), not a mailbox's.
    """
    password = random_code(8)
    message = Message.new(
        reply_days=settings.INTERACTION_ERROR_REPORT_WORKING_DAYS, password=password, received_at=received_at,
        category=Category.ERROR_REPORT, page_url=data["page_url"],
        subject=one_line(f"纠错：{data.get('page_title') or data['page_url']}")[:100], body=data["body"],
        phone=data.get("phone", ""), email=data.get("email", ""), allow_public=False,
    )
    _unique_code(message)
    message.save()
    return message, password


def _unique_code(message):
    for _ in range(5):  # a tracking code collision is astronomically rare; retry rather than fail
        if not Message.objects.filter(tracking_code=message.tracking_code).exists():
            return
        message.tracking_code = message.tracking_code[:8] + random_code(6)


def _require(message, *statuses):
    if message.status not in statuses:
        raise MessageActionError(f"留言当前状态为“{message.get_status_display()}”，不能进行此操作")


def assign_message(message, *, assignee, department, acting_user):
    _require(message, Status.NEW, Status.ASSIGNED)
    message.assignee = assignee
    message.department = department
    message.status = Status.ASSIGNED
    message.save(update_fields=["assignee", "department", "status", "updated_at"])
    _audit(AuditAction.ASSIGN_MESSAGE, message, acting_user,
           assignee=assignee.get_username() if assignee else "", department=department or "")
    if assignee is not None and assignee.email and assignee != acting_user:
        transaction.on_commit(lambda: notify_assignee(message, assignee))
    return message


def reply_to_message(message, *, reply, publish, acting_user, confirm_reason=""):
    """Save the reply; publish the exchange if asked and allowed, and if the 错敏词 check lets it out
    (`message.wording_held`: the check that kept it unpublished, else None). The reply is saved either way."""
    _require(message, Status.NEW, Status.ASSIGNED, Status.REPLIED)
    cleaned = reply_html(reply)
    if not plain_text(cleaned):  # an empty editor still sends <p></p>
        raise MessageActionError("答复内容不能为空")
    message.reply = cleaned
    message.replied_by = acting_user
    if message.replied_at is None:
        message.replied_at = timezone.now()
    message.status = Status.REPLIED
    message.is_published = bool(publish) and message.allow_public and _passes(message, acting_user, confirm_reason)
    message.save()
    _audit(AuditAction.REPLY_MESSAGE, message, acting_user, published=message.is_published)
    return message


def set_published(message, *, published, acting_user, confirm_reason=""):
    _require(message, Status.REPLIED, Status.CLOSED)
    if published and not message.allow_public:
        raise MessageActionError("留言人未同意公开，不能公开此留言")
    if published and not _passes(message, acting_user, confirm_reason):
        return message
    message.is_published = published
    message.save(update_fields=["is_published", "updated_at"])
    _audit(AuditAction.PUBLISH_MESSAGE if published else AuditAction.UNPUBLISH_MESSAGE, message, acting_user)
    return message


def published_texts(message):
    """What a published exchange shows the public: the citizen's subject and words, and the reply."""
    return [("留言主题", message.subject), ("留言内容", message.body), ("答复", plain_text(message.reply))]


def published_items(site, messages=None):
    """The site's published exchanges (or those of `messages` that are) as the 错敏词 scan reads them
    (wording.scan.register_source)."""
    for message in (messages if messages is not None else Message.objects.all()).public().select_related("mailbox"):
        url = page_path(message.mailbox.url_path) + f"replies/{message.tracking_code}/" if message.mailbox else ""
        yield Item(message.subject, url, published_texts(message), message_code=message.tracking_code)


def _passes(message, acting_user, confirm_reason):
    """The 错敏词 check of the exchange about to be published; a confirmed doubtful hit is audited."""
    result = check_texts(published_texts(message))
    message.wording_held = result if held(result, bool(confirm_reason.strip())) else None
    if result.serious:
        _audit(AuditAction.REFUSE_WORDING, message, acting_user, hits=result.summary(result.serious))
    elif result.doubtful and message.wording_held is None:
        _audit(AuditAction.CONFIRM_WORDING, message, acting_user, reason=one_line(confirm_reason)[:500],
               digest=result.digest, hits=result.summary(result.doubtful))
    return message.wording_held is None


def close_message(message, *, acting_user):
    _require(message, Status.REPLIED)
    message.status = Status.CLOSED
    message.save(update_fields=["status", "updated_at"])
    _audit(AuditAction.CLOSE_MESSAGE, message, acting_user)
    return message


def mark_invalid(message, *, reason, note, acting_user):
    _require(message, Status.NEW, Status.ASSIGNED)
    message.status = Status.INVALID
    message.invalid_reason = reason
    message.invalid_note = note
    message.is_published = False
    message.save(update_fields=["status", "invalid_reason", "invalid_note", "is_published", "updated_at"])
    _audit(AuditAction.INVALID_MESSAGE, message, acting_user, reason=message.invalid_reason)
    return message


def _audit(action, message, acting_user, **detail):
    """The handling of a citizen's message, in the platform's audit trail (who, which message, from where)."""
    audit.record_here(action, user=acting_user, message=message.tracking_code, **detail)


def notify_assignee(message, assignee):
    """Tell the assigned editor; a mail failure is logged, the assignment stands."""
    subject = one_line(f"【待办留言】{message.subject}")[:150]
    body = (
        f"您有一条群众留言待办理。\n\n查询码：{message.tracking_code}\n主题：{message.subject}\n"
        f"答复期限：{message.due_date:%Y-%m-%d}\n\n请登录网站后台“群众留言”办理。"
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [assignee.email])
    except Exception:
        logger.exception("could not mail assignee %s about message %s", assignee.pk, message.tracking_code)
