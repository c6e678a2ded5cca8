"""Applications for disclosure (依申请公开), their history and their files, in the site's schema.

An application is committed before the applicant sees its tracking code, like a mailbox
message; its clock (disclosure.clock) is kept on the row so the inbox orders and the report
counts in SQL. Every step is an ApplicationEvent the applicant reads on the status page.
"""

import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from interaction.models.messages import hash_query_password, random_code
from interaction.storage import PrivateSiteStorage

from .. import clock
from ..choices import (
    OPEN_STATUSES,
    ApplicantKind,
    Channel,
    DeliveryChannel,
    DeliveryForm,
    EventKind,
    IdType,
    Result,
    Status,
    reason_label,
)


def file_path(instance, filename):
    # The original name is kept in `name`; on disk the name is random.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"disclosure/{timezone.localdate():%Y/%m}/{secrets.token_hex(12)}.{suffix}"


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def running(self):
        """Open with the clock running: neither waiting for 补正 nor paused for a third party."""
        return self.filter(status=Status.PROCESSING)

    def overdue(self, today=None):
        return self.running().filter(due_date__lt=today or timezone.localdate())

    def inbox_order(self, today=None):
        """Overdue first (longest overdue first), then running by deadline, then paused, then answered."""
        today = today or timezone.localdate()
        return self.annotate(
            rank=models.Case(
                models.When(status=Status.PROCESSING, due_date__lt=today, then=0),
                models.When(status=Status.PROCESSING, then=1),
                models.When(status__in=OPEN_STATUSES, then=2),
                default=3,
                output_field=models.IntegerField(),
            )
        ).order_by("rank", models.Case(
            models.When(status__in=OPEN_STATUSES, then="due_date"), default=None, output_field=models.DateField(),
        ).asc(nulls_last=True), "-received_at")


class Application(models.Model):
    tracking_code = models.CharField("查询码", max_length=20, unique=True, editable=False)
    password_salt = models.CharField(max_length=32, editable=False)
    password_hash = models.CharField(max_length=64, editable=False)
    page = models.ForeignKey(
        "disclosure.ApplicationPage", verbose_name="受理页面", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="applications",
    )
    channel = models.CharField("申请渠道", max_length=20, choices=Channel.choices, default=Channel.ONLINE)

    # The applicant (Art. 29): who, proof of identity, contact.
    applicant_kind = models.CharField("申请人类型", max_length=20, choices=ApplicantKind.choices)
    name = models.CharField("申请人姓名或名称", max_length=100)
    legal_representative = models.CharField("法定代表人或负责人", max_length=50, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=30)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)

    # What is asked for, and how the answer should come.
    info_title = models.CharField("所需信息的名称", max_length=200)
    info_number = models.CharField("文号", max_length=100, blank=True)
    info_description = models.TextField("所需信息的其他特征描述", blank=True)
    delivery_form = models.CharField("获取信息的载体形式", max_length=20, choices=DeliveryForm.choices)
    delivery_channel = models.CharField("获取信息的方式", max_length=20, choices=DeliveryChannel.choices)

    # The clock (disclosure.clock).
    received_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    received_on = models.DateField("收到申请日期", db_index=True)
    clock_start = models.DateField("起算日期")
    extension_days = models.PositiveSmallIntegerField("延长期限（工作日）", default=0)
    extension_approver = models.CharField("延期批准人", max_length=50, blank=True)
    extension_reason = models.CharField("延期理由", max_length=200, blank=True)
    paused_days = models.PositiveSmallIntegerField("征求意见不计时（工作日）", default=0)
    paused_since = models.DateField("征求意见开始日期", null=True, blank=True)
    third_party = models.CharField("征求意见对象", max_length=100, blank=True)
    consultation_due = models.DateField("第三方答复期限", null=True, blank=True)
    completion_requested_on = models.DateField("告知补正日期", null=True, blank=True)
    completion_due = models.DateField("补正期限", null=True, blank=True)
    due_date = models.DateField("答复期限", db_index=True)

    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROCESSING, db_index=True)
    result = models.CharField("答复结果", max_length=20, choices=Result.choices, blank=True, db_index=True)
    reason = models.CharField("具体情形", max_length=30, blank=True)
    notice = models.TextField("告知书正文", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True, db_index=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_at"]
        permissions = [("handle_application", "办理政府信息公开申请")]

    def __str__(self):
        return f"{self.tracking_code} {self.info_title}"

    @classmethod
    def new(cls, *, password, received_on=None, received_at=None, **fields):
        """An unsaved application with its tracking code, hashed query password and deadline."""
        received_at = received_at or timezone.now()
        received_on = received_on or timezone.localtime(received_at).date()
        salt = secrets.token_hex(8)
        return cls(
            tracking_code=f"GK{received_on:%Y%m%d}{random_code(6)}",
            password_salt=salt, password_hash=hash_query_password(password, salt),
            received_at=received_at, received_on=received_on, clock_start=received_on,
            due_date=clock.due_date(received_on), **fields,
        )

    def check_password(self, password):
        return hmac.compare_digest(self.password_hash, hash_query_password(password, self.password_salt))

    def refresh_due_date(self):
        self.due_date = clock.due_date(
            self.clock_start, extension_days=self.extension_days, paused_days=self.paused_days
        )

    # --- reading the clock ----------------------------------------------------------------

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_organisation(self):
        return self.applicant_kind != ApplicantKind.PERSON

    def working_days_left(self, today=None):
        return clock.working_days_left(today or timezone.localdate(), self.due_date)

    def urgency(self, today=None):
        """'overdue', 'due-soon' (within DISCLOSURE_DUE_SOON_WORKING_DAYS), 'on-time', 'paused'; '' once answered."""
        if not self.is_open:
            return ""
        if self.status != Status.PROCESSING:
            return "paused"
        today = today or timezone.localdate()
        if today > self.due_date:
            return "overdue"
        if self.working_days_left(today) <= settings.DISCLOSURE_DUE_SOON_WORKING_DAYS:
            return "due-soon"
        return "on-time"

    @property
    def reason_display(self):
        return reason_label(self.result, self.reason)

    @property
    def result_summary(self):
        reason = self.reason_display
        return f"{self.get_result_display()}（{reason}）" if reason else self.get_result_display()


class ApplicationEvent(models.Model):
    """One step of an application: who did what when, and what the applicant is told about it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("环节", max_length=30, choices=EventKind.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    actor_label = models.CharField("办理人", max_length=150, blank=True)
    # Shown to the applicant on the status page, in plain words; the office's own note is not.
    public_text = models.TextField("告知申请人的内容")
    note = models.TextField("内部备注", blank=True)

    class Meta:
        verbose_name = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class FileKind(models.TextChoices):
    PROOF = "proof", "身份证明"
    ANSWER = "answer", "答复所附信息"


class ApplicationFile(models.Model):
    """A file of an application: the applicant's proof of identity, or information sent with the answer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("类别", max_length=10, choices=FileKind.choices)
    file = models.FileField("文件", upload_to=file_path, storage=PrivateSiteStorage())
    name = models.CharField("原文件名", max_length=255)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "申请文件"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name
