"""Citizen messages (领导信箱 / 咨询 / 投诉 / 建议), and the public's error reports (纠错) about a page.

A message lives in its site's schema. It is committed before the citizen sees its
tracking code; its reply deadline in working days is fixed when it arrives. An error report
is a message of its own category, sent from any page's 纠错 link rather than to a mailbox:
it carries the page's address and the region's shorter deadline, and is handled in the same inbox.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from .. import workdays
from ..storage import PrivateSiteStorage

# No 0/O, 1/I/L: codes are read off a screen and typed back in.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PASSWORD_ITERATIONS = 20_000


class Category(models.TextChoices):
    LEADER = "leader", "领导信箱"
    ENQUIRY = "enquiry", "咨询"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    ERROR_REPORT = "error_report", "纠错"


# What a citizen chooses from in a mailbox; error reports come through the 纠错 form only.
MAILBOX_CATEGORIES = [(value, label) for value, label in Category.choices if value != Category.ERROR_REPORT]


class Status(models.TextChoices):
    NEW = "new", "待处理"
    ASSIGNED = "assigned", "办理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    INVALID = "invalid", "无效留言"


class InvalidReason(models.TextChoices):
    SPAM = "spam", "广告或无意义内容"
    DUPLICATE = "duplicate", "重复留言"
    OUT_OF_SCOPE = "out_of_scope", "不属于本机关职责范围"


OPEN_STATUSES = (Status.NEW, Status.ASSIGNED)
ANSWERED_STATUSES = (Status.REPLIED, Status.CLOSED)


def random_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def hash_query_password(password, salt):
    """The query password is random (8 of 31 symbols) and guessing is rate-limited; a light PBKDF2 suffices."""
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), PASSWORD_ITERATIONS).hex()


def attachment_path(instance, filename):
    # The citizen's file name is kept in `attachment_name`; on disk the name is random.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"mailbox/{timezone.localdate():%Y/%m}/{secrets.token_hex(12)}.{suffix}"


class MessageQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def answered(self):
        return self.filter(status__in=ANSWERED_STATUSES)

    def valid(self):
        return self.exclude(status=Status.INVALID)

    def error_reports(self):
        return self.filter(category=Category.ERROR_REPORT)

    def letters(self):
        """Messages written to a mailbox: everything but error reports."""
        return self.exclude(category=Category.ERROR_REPORT)

    def public(self):
        """What the public list shows: answered, published by an editor, and allowed by the citizen."""
        return self.answered().filter(is_published=True, allow_public=True)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def inbox_order(self, today=None):
        """Overdue first (oldest deadline first), then open by deadline, then the rest newest first."""
        today = today or timezone.localdate()
        return self.annotate(
            rank=models.Case(
                models.When(status__in=OPEN_STATUSES, due_date__lt=today, then=0),
                models.When(status__in=OPEN_STATUSES, then=1),
                default=2,
                output_field=models.IntegerField(),
            )
        ).order_by("rank", models.Case(
            models.When(status__in=OPEN_STATUSES, then="due_date"), default=None, output_field=models.DateField(),
        ).asc(nulls_last=True), "-received_at")


class Message(models.Model):
    tracking_code = models.CharField("查询码", max_length=20, unique=True, editable=False)
    password_salt = models.CharField(max_length=32, editable=False)
    password_hash = models.CharField(max_length=64, editable=False)
    mailbox = models.ForeignKey(
        "interaction.MailboxPage", verbose_name="信箱", null=True, on_delete=models.SET_NULL, related_name="messages"
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    subject = models.CharField("主题", max_length=100)
    body = models.TextField("内容")
    name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    allow_public = models.BooleanField("同意公开", default=False)
    attachment = models.FileField("附件", upload_to=attachment_path, storage=PrivateSiteStorage(), blank=True)
    attachment_name = models.CharField("附件原名", max_length=255, blank=True)
    # An error report's page: the path on this site the citizen reported (kept as sent, even if the page moves).
    page_url = models.CharField("出错页面", max_length=500, blank=True)

    received_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    reply_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    due_date = models.DateField("答复期限", db_index=True)

    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_messages",
    )
    department = models.CharField("承办部门", max_length=100, blank=True)
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    # Kept with the message (set on save) so the public statistics are one SQL aggregate.
    reply_working_days = models.PositiveSmallIntegerField("答复用时（工作日）", null=True, blank=True, editable=False)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    invalid_reason = models.CharField("无效原因", max_length=20, choices=InvalidReason.choices, blank=True)
    invalid_note = models.CharField("说明", max_length=200, blank=True)
    is_published = models.BooleanField("公开答复", default=False)
    # When its name, phone, e-mail and attachment were cleared, after the retention period (interaction.privacy).
    anonymised_at = models.DateTimeField("个人信息清除时间", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "群众留言"
        verbose_name_plural = "群众留言"
        ordering = ["-received_at"]
        permissions = [("handle_message", "办理群众留言")]

    def __str__(self):
        return f"{self.tracking_code} {self.subject}"

    def save(self, *args, **kwargs):
        self.reply_working_days = self.working_days_to_reply()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "replied_at" in update_fields:
            kwargs["update_fields"] = {*update_fields, "reply_working_days"}
        super().save(*args, **kwargs)

    @classmethod
    def new(cls, *, reply_days, password, received_at=None, **fields):
        """An unsaved message with its tracking code, hashed query password and deadline."""
        received_at = received_at or timezone.now()
        salt = secrets.token_hex(8)
        local_day = timezone.localtime(received_at).date()
        return cls(
            tracking_code=f"{local_day:%Y%m%d}{random_code(6)}",
            password_salt=salt,
            password_hash=hash_query_password(password, salt),
            received_at=received_at,
            reply_days=reply_days,
            due_date=workdays.add_working_days(local_day, reply_days),
            **fields,
        )

    def check_password(self, password):
        return hmac.compare_digest(self.password_hash, hash_query_password(password, self.password_salt))

    # --- deadlines -----------------------------------------------------------------------

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_error_report(self):
        return self.category == Category.ERROR_REPORT

    def working_days_left(self, today=None):
        """Working days from today to the deadline (0: due today; negative: overdue by that many)."""
        return workdays.working_days_between(today or timezone.localdate(), self.due_date)

    def urgency(self, today=None):
        """'overdue' past the deadline, 'due-soon' within AMBER days of it, 'on-time' otherwise; '' once answered."""
        if not self.is_open:
            return ""
        today = today or timezone.localdate()
        if today > self.due_date:
            return "overdue"
        if self.working_days_left(today) <= settings.INTERACTION_DUE_SOON_WORKING_DAYS:
            return "due-soon"
        return "on-time"

    def working_days_to_reply(self):
        if self.replied_at is None:
            return None
        return workdays.working_days_between(
            timezone.localtime(self.received_at).date(), timezone.localtime(self.replied_at).date()
        )

    @property
    def contact_summary(self):
        return " / ".join(value for value in (self.phone, self.email) if value)


def statistics(messages):
    """The figures the guidelines ask a mailbox to show: received, answered, average working days to reply."""
    valid = messages.valid()
    figures = valid.aggregate(
        received=models.Count("pk"),
        answered=models.Count("pk", filter=models.Q(status__in=ANSWERED_STATUSES, replied_at__isnull=False)),
        average=models.Avg("reply_working_days", filter=models.Q(status__in=ANSWERED_STATUSES)),
    )
    average = figures["average"]
    return {
        "received": figures["received"],
        "answered": figures["answered"],
        "average_days": round(float(average), 1) if average is not None else None,
    }
