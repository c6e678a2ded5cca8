"""Every step of an application for disclosure, as one function each (the views are thin wrappers).

Each runs inside the caller's site schema and transaction, writes the step into the application's
history (what the applicant reads) and, for the office's steps, a row of the platform's audit
trail in the same transaction. Mail to the applicant goes out on commit and never undoes a step.
`today` defaults to today in Beijing time; tests pass a day to walk the calendar.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from interaction.models.messages import random_code
from interaction.sanitise import one_line, plain_text
from interaction.storage import PrivateSiteStorage, free_name, save_after_commit
from interaction.workdays import add_working_days
from tenants import audit
from tenants.models import AuditAction

from . import clock
from .choices import Channel, EventKind, Result, Status, reasons_of
from .models import Application, ApplicationEvent, ApplicationFile, FileKind, file_path
from .notices import day_text

logger = logging.getLogger(__name__)

APPLICANT_FIELDS = [
    "applicant_kind", "name", "legal_representative", "contact_person", "id_type", "id_number", "phone",
    "email", "address", "postcode", "info_title", "info_number", "info_description", "delivery_form",
    "delivery_channel",
]


class ApplicationActionError(Exception):
    """The step is not allowed now; the message says why, in Chinese."""


def _actor(user):
    return user.get_username() if hasattr(user, "get_username") else ""


def _event(application, kind, text, *, user=None, note=""):
    return ApplicationEvent.objects.create(
        application=application, kind=kind, public_text=text, actor_label=_actor(user), note=note,
    )


def _audit(action, application, user, **detail):
    audit.record_here(action, user=user, application=application.tracking_code, **detail)


def _require(application, *statuses):
    if application.status not in statuses:
        raise ApplicationActionError(f"申请当前状态为“{application.get_status_display()}”，不能进行此操作")


def _new(data, *, page=None, channel=Channel.ONLINE, received_on=None, received_at=None, user=None):
    password = random_code(8)
    application = Application.new(
        password=password, received_on=received_on, received_at=received_at, page=page, channel=channel,
        created_by=user,
        **{field: data.get(field) or "" for field in APPLICANT_FIELDS},
    )
    for _ in range(5):  # a tracking code collision is astronomically rare; retry rather than fail
        if not Application.objects.filter(tracking_code=application.tracking_code).exists():
            break
        application.tracking_code = application.tracking_code[:10] + random_code(6)
    application.save()
    return application, password


def submit_application(page, data, *, received_at=None):
    """An online application (Art. 31: received the day the platform acknowledges it); returns it and its
    query password (shown once, stored hashed). The caller commits before showing the code."""
    application, password = _new(data, page=page, received_at=received_at)
    _event(application, EventKind.RECEIVED, (
        f"{day_text(application.received_on)}收到您的申请。答复期限为{day_text(application.due_date)}"
        f"（收到申请之日起 {clock.ANSWER_DAYS} 个工作日，法定节假日顺延）。"
    ))
    _attach(application, FileKind.PROOF, data.get("proof"))
    return application, password


def register_application(data, *, channel, received_on, acting_user, today=None):
    """An application that came by letter, by hand, by fax or by e-mail, entered by the office so that
    every channel is counted. Its clock starts on the day it was received, not the day it was entered."""
    today = today or timezone.localdate()
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ApplicationActionError("请选择申请的收到渠道（信函、当面、传真或电子邮件）")
    if received_on > today:
        raise ApplicationActionError("收到日期不能晚于今天")
    application, password = _new(data, channel=channel, received_on=received_on, user=acting_user)
    _event(application, EventKind.REGISTERED, (
        f"{day_text(received_on)}收到您通过{Channel(channel).label}提交的申请。答复期限为{day_text(application.due_date)}"
        f"（收到申请之日起 {clock.ANSWER_DAYS} 个工作日，法定节假日顺延）。"
    ), user=acting_user)
    _attach(application, FileKind.PROOF, data.get("proof"))
    _audit(AuditAction.REGISTER_APPLICATION, application, acting_user, channel=channel,
           received_on=received_on.isoformat())
    return application, password


def request_completion(application, *, items, period_days, acting_user, today=None):
    """补正 (Art. 30): one notice, within 7 working days of receipt, listing all that is missing; the
    clock stops until the completed application arrives, and the application lapses after the period."""
    today = today or timezone.localdate()
    _require(application, Status.PROCESSING)
    if application.completion_requested_on is not None:
        raise ApplicationActionError("补正告知只能一次性发出，本申请已经告知过补正")
    last_day = clock.completion_notice_deadline(application.received_on)
    if today > last_day:
        raise ApplicationActionError(
            f"补正告知应在收到申请之日起 {clock.COMPLETION_NOTICE_DAYS} 个工作日内发出"
            f"（最迟{day_text(last_day)}），已经超过"
        )
    items = plain_text(items)
    if not items:
        raise ApplicationActionError("请写明需要补正的全部内容")
    if not 1 <= period_days <= settings.DISCLOSURE_MAX_COMPLETION_DAYS:
        raise ApplicationActionError(f"补正期限应为 1 至 {settings.DISCLOSURE_MAX_COMPLETION_DAYS} 个工作日")
    application.status = Status.AWAITING_COMPLETION
    application.completion_requested_on = today
    application.completion_due = add_working_days(today, period_days)
    application.save()
    text = (
        f"{day_text(today)}告知您补正申请：{items}\n请在{day_text(application.completion_due)}前补正。"
        f"答复期限自收到补正后的申请之日起重新计算；无正当理由逾期不补正的，视为放弃申请。"
    )
    _event(application, EventKind.COMPLETION_REQUESTED, text, user=acting_user)
    _audit(AuditAction.REQUEST_COMPLETION, application, acting_user, due=application.completion_due.isoformat())
    _notify(application, "补正告知", text)
    return application


def receive_completion(application, *, note="", late_reason="", acting_user, today=None):
    """The completed application arrived: the clock starts again from today, with the full 20 days."""
    today = today or timezone.localdate()
    _require(application, Status.AWAITING_COMPLETION)
    late_reason = one_line(late_reason)
    if today > application.completion_due and not late_reason:
        raise ApplicationActionError("已超过补正期限：逾期补正须写明申请人的正当理由")
    application.status = Status.PROCESSING
    application.clock_start = today
    application.extension_days, application.paused_days = 0, 0
    application.refresh_due_date()
    application.save()
    _event(application, EventKind.COMPLETED, (
        f"{day_text(today)}收到您补正后的申请。答复期限自该日起重新计算，为{day_text(application.due_date)}。"
    ), user=acting_user, note=plain_text(note))
    _audit(AuditAction.RECEIVE_COMPLETION, application, acting_user, late_reason=late_reason)
    return application


def extend(application, *, days, approver, reason, acting_user, today=None):
    """One extension of at most 20 working days (Art. 33), approved by the head of the disclosure office
    (named here) before the deadline, and told to the applicant."""
    today = today or timezone.localdate()
    _require(application, Status.PROCESSING, Status.CONSULTING)
    if application.extension_days:
        raise ApplicationActionError("答复期限只能延长一次，本申请已经延长过")
    if not 1 <= days <= clock.MAX_EXTENSION_DAYS:
        raise ApplicationActionError(f"延长的期限最长不超过 {clock.MAX_EXTENSION_DAYS} 个工作日")
    if application.status == Status.PROCESSING and today > application.due_date:
        raise ApplicationActionError("已超过答复期限，不能再延期：请尽快答复")
    approver, reason = one_line(approver), one_line(reason)
    if not approver:
        raise ApplicationActionError("请填写批准延期的政府信息公开工作机构负责人")
    if not reason:
        raise ApplicationActionError("请填写延期理由")
    application.extension_days = days
    application.extension_approver = approver[:50]
    application.extension_reason = reason[:200]
    application.refresh_due_date()
    application.save()
    text = (f"{day_text(today)}告知您：因{reason}，经批准，答复期限延长 {days} 个工作日，"
            f"至{day_text(application.due_date)}。")
    _event(application, EventKind.EXTENDED, text, user=acting_user)
    _audit(AuditAction.EXTEND_APPLICATION, application, acting_user, days=days, approver=approver)
    _notify(application, "延期答复告知", text)
    return application


def start_consultation(application, *, third_party, acting_user, today=None):
    """Consult a third party in writing (Art. 32): it has 15 working days; the clock is paused meanwhile."""
    today = today or timezone.localdate()
    _require(application, Status.PROCESSING)
    third_party = one_line(third_party)
    if not third_party:
        raise ApplicationActionError("请填写征求意见的第三方")
    application.status = Status.CONSULTING
    application.third_party = third_party[:100]
    application.paused_since = today
    application.consultation_due = clock.third_party_due(today)
    application.save()
    # The applicant learns that a third party is consulted, not who it is.
    text = (f"{day_text(today)}起就您申请的信息书面征求第三方意见"
            f"（第三方应在 {clock.THIRD_PARTY_DAYS} 个工作日内答复）。征求意见所需时间不计算在答复期限内。")
    _event(application, EventKind.CONSULTATION_STARTED, text, user=acting_user)
    _audit(AuditAction.START_CONSULTATION, application, acting_user, third_party=third_party)
    _notify(application, "征求第三方意见告知", text)
    return application


def _end_pause(application, today):
    application.paused_days += clock.paused_working_days(application.paused_since, today)
    application.paused_since = None
    application.status = Status.PROCESSING
    application.refresh_due_date()


def end_consultation(application, *, outcome, acting_user, today=None):
    """The third party answered (or its 15 days passed): the clock runs again, the paused days added."""
    today = today or timezone.localdate()
    _require(application, Status.CONSULTING)
    _end_pause(application, today)
    application.save()
    _event(application, EventKind.CONSULTATION_ENDED, (
        f"{day_text(today)}第三方意见征询结束，答复期限相应顺延至{day_text(application.due_date)}。"
    ), user=acting_user, note=plain_text(outcome))
    _audit(AuditAction.END_CONSULTATION, application, acting_user)
    return application


def answer(application, *, result, reason, notice, files=(), acting_user, today=None):
    """The answer (Art. 36): its result and reason as the annual report counts them, the 告知书's text,
    and the information disclosed with it."""
    today = today or timezone.localdate()
    _require(application, Status.PROCESSING, Status.CONSULTING)
    if result not in Result.values:
        raise ApplicationActionError("请选择答复结果")
    reasons = [code for code, _label in reasons_of(result)]
    if reasons and reason not in reasons:
        raise ApplicationActionError(f"请选择“{Result(result).label}”的具体情形")
    if not reasons:
        reason = ""
    notice = plain_text(notice)
    if not notice:
        raise ApplicationActionError("告知书正文不能为空")
    if application.status == Status.CONSULTING:
        _end_pause(application, today)
    application.status = Status.CLOSED
    application.result, application.reason, application.notice = result, reason, notice
    application.answered_on, application.answered_by = today, acting_user
    application.save()
    for upload in files:
        _attach(application, FileKind.ANSWER, upload)
    late = today > application.due_date
    _event(application, EventKind.ANSWERED, (
        f"{day_text(today)}已对您的申请作出答复：{application.result_summary}。请查看告知书"
        + ("及所附信息。" if files else "。")
    ), user=acting_user)
    _audit(AuditAction.ANSWER_APPLICATION, application, acting_user, result=result, reason=reason, late=late)
    _notify(application, "政府信息公开申请答复", f"您的申请已于{day_text(today)}答复：{application.result_summary}。")
    return application


def lapse_overdue_completions(today=None):
    """Close every application whose 补正 period passed with nothing received (Art. 30: deemed withdrawn).
    For the daily job; returns the tracking codes closed."""
    today = today or timezone.localdate()
    closed = []
    for application in Application.objects.select_for_update().filter(
        status=Status.AWAITING_COMPLETION, completion_due__lt=today
    ):
        application.status = Status.CLOSED
        application.result, application.reason = Result.OTHER, "no_completion"
        application.answered_on = today
        application.notice = (
            f"本机关于{day_text(application.completion_requested_on)}告知您补正申请，补正期限至"
            f"{day_text(application.completion_due)}。您在期限内未补正，根据《中华人民共和国政府信息公开条例》"
            "第三十条，视为放弃申请，本机关不再处理该政府信息公开申请。"
        )
        application.save()
        _event(application, EventKind.LAPSED, f"{day_text(today)}：补正期限已过，未收到补正，视为放弃申请，不再处理。")
        _audit(AuditAction.LAPSE_APPLICATION, application, None)
        closed.append(application.tracking_code)
    return closed


# --- files and mail ------------------------------------------------------------------------


def _attach(application, kind, upload):
    """The file's row now; its bytes on disk once the row has committed (a rollback leaves no file)."""
    if not upload:
        return None
    storage = PrivateSiteStorage(schema=connection.schema_name)
    row = ApplicationFile(application=application, kind=kind, name=one_line(upload.name)[:255] or "file",
                          file=free_name(storage, lambda: file_path(None, upload.name)))
    row.save()
    save_after_commit(storage, row.file.name, upload)
    return row


def _notify(application, subject, text):
    """Tell the applicant by e-mail when they gave an address; the status page always shows it too."""
    if not application.email:
        return
    code = application.tracking_code
    body = f"{text}\n\n查询码：{code}\n可凭查询码和查询密码在网站“依申请公开”栏目查看办理情况。"

    def send():
        try:
            send_mail(one_line(f"【政府信息公开】{subject}")[:150], body, settings.DEFAULT_FROM_EMAIL,
                      [application.email])
        except Exception:
            logger.exception("could not mail applicant of %s", code)

    transaction.on_commit(send)
