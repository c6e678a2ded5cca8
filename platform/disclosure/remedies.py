"""Recording 行政复议 and 行政诉讼 against an answer, and their outcome: one action each, audited.

Like disclosure.actions, each runs in the caller's site schema and transaction. Only an answered
application can be reviewed (the remedy is against the answer, or against a lapse); the applicant
is not told through the platform: these are the office's records for the annual report.
"""

from django.utils import timezone

from interaction.sanitise import one_line, plain_text
from tenants import audit
from tenants.models import AuditAction

from .actions import ApplicationActionError
from .choices import Status
from .models import Outcome, RemedyCase, RemedyKind


def _check_day(day, today, what):
    if day is None:
        raise ApplicationActionError(f"请填写{what}")
    if day > today:
        raise ApplicationActionError(f"{what}不能晚于今天")


def record_case(application, *, kind, filed_on, authority, case_number="", note="", acting_user, today=None):
    """A review or a lawsuit against the answer to `application`, still undecided."""
    today = today or timezone.localdate()
    if application.status != Status.CLOSED:
        raise ApplicationActionError("申请尚未答复：行政复议、行政诉讼针对的是答复，请在答复后登记")
    if kind not in RemedyKind.values:
        raise ApplicationActionError("请选择行政复议或行政诉讼")
    _check_day(filed_on, today, "申请复议或起诉日期")
    if filed_on < application.received_on:
        raise ApplicationActionError("申请复议或起诉日期不能早于收到申请的日期")
    authority = one_line(authority)
    if not authority:
        raise ApplicationActionError("请填写复议机关或人民法院")
    case = RemedyCase.objects.create(
        application=application, kind=kind, filed_on=filed_on, authority=authority[:100],
        case_number=one_line(case_number)[:100], note=plain_text(note), recorded_by=acting_user,
    )
    audit.record_here(AuditAction.RECORD_REMEDY, user=acting_user, application=application.tracking_code,
                      kind=kind, filed_on=filed_on.isoformat())
    return case


def decide_case(case, *, outcome, decided_on, note="", acting_user, today=None):
    """The review body's decision or the court's judgment (an appeal's judgment replaces the first)."""
    today = today or timezone.localdate()
    if outcome not in Outcome.values or outcome == Outcome.PENDING:
        raise ApplicationActionError("请选择结果：维持、纠正或其他")
    _check_day(decided_on, today, "决定或判决日期")
    if decided_on < case.filed_on:
        raise ApplicationActionError("决定或判决日期不能早于申请复议或起诉日期")
    case.outcome, case.decided_on = outcome, decided_on
    note = plain_text(note)
    if note:
        case.note = f"{case.note}\n{note}".strip()
    case.save()
    audit.record_here(AuditAction.DECIDE_REMEDY, user=acting_user, application=case.application.tracking_code,
                      kind=case.kind, outcome=outcome, decided_on=decided_on.isoformat())
    return case
