"""The disclosure office's inbox in the site's Wagtail admin: thin views over disclosure.actions.

Everything runs in the site's own schema (the request's host chose it). The applicant's identity
number and contact details are masked until 查看完整信息 (a POST, audited).
"""

from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from interaction import privacy
from tenants import audit
from tenants.models import AuditAction

from . import actions, notices, pdf, remedies
from .choices import OPEN_STATUSES, Status
from .forms import (
    AnswerForm,
    CompletedForm,
    CompletionForm,
    ConsultationEndForm,
    ConsultForm,
    DecisionForm,
    ExtendForm,
    RegisterForm,
    RemedyForm,
)
from .models import Application, ApplicationFile

PERMISSION = "disclosure.handle_application"
INBOX_PAGE_SIZE = 30
FILTERS = {
    "open": ("待办", lambda qs, today: qs.open()),
    "overdue": ("已超期", lambda qs, today: qs.overdue(today)),
    "paused": ("补正或征求意见中", lambda qs, today: qs.filter(status__in=[Status.AWAITING_COMPLETION,
                                                                   Status.CONSULTING])),
    "closed": ("已答复", lambda qs, today: qs.filter(status=Status.CLOSED)),
    "all": ("全部", lambda qs, today: qs),
}
# The detail page's action forms: (form class, the statuses it is offered in).
ACTION_FORMS = {
    "completion": (CompletionForm, [Status.PROCESSING]),
    "completed": (CompletedForm, [Status.AWAITING_COMPLETION]),
    "extend": (ExtendForm, [Status.PROCESSING, Status.CONSULTING]),
    "consult": (ConsultForm, [Status.PROCESSING]),
    "consultation_end": (ConsultationEndForm, [Status.CONSULTING]),
    "answer": (AnswerForm, [Status.PROCESSING, Status.CONSULTING]),
    "remedy": (RemedyForm, [Status.CLOSED]),
}
DECIDE = "decide-"  # the action of recording a case's outcome: "decide-<case pk>"


def mask_id(number):
    number = number or ""
    return number[:3] + "*" * max(len(number) - 7, 1) + number[-4:] if len(number) > 7 else "*" * len(number)


def _annotate(application, today):
    application.urgency_class = application.urgency(today)
    application.days_left = application.working_days_left(today) if application.status == Status.PROCESSING else None
    application.days_overdue = max(-(application.days_left or 0), 0)


@permission_required(PERMISSION, raise_exception=True)
def inbox(request):
    today = timezone.localdate()
    current = request.GET.get("filter") if request.GET.get("filter") in FILTERS else "open"
    queryset = FILTERS[current][1](Application.objects.all(), today).inbox_order(today)
    paginator = Paginator(queryset, INBOX_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("p"))
    for application in page_obj:
        _annotate(application, today)
        application.masked_name = privacy.mask_name(application.name)
    counts = {key: FILTERS[key][1](Application.objects.all(), today).count() for key in ("open", "overdue")}
    return render(request, "disclosure/admin/inbox.html", {
        "page_obj": page_obj, "paginator": paginator, "filters": [(k, v[0]) for k, v in FILTERS.items()],
        "current": current, "counts": counts,
    })


@permission_required(PERMISSION, raise_exception=True)
def register(request):
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                application, password = actions.register_application(
                    data, channel=data["channel"], received_on=data["received_on"], acting_user=request.user)
        except actions.ApplicationActionError as exc:
            form.add_error(None, str(exc))
        else:
            # The code and password go on the 受理回执 the office sends the applicant; shown this once.
            return render(request, "disclosure/admin/registered.html",
                          {"application": application, "password": password})
    return render(request, "disclosure/admin/register.html", {"form": form}, status=400 if form.errors else 200)


@permission_required(PERMISSION, raise_exception=True)
def detail(request, pk):
    application = get_object_or_404(Application.objects.select_related("answered_by", "created_by"), pk=pk)
    which = request.POST.get("action") if request.method == "POST" else None
    forms = {
        # Prefixed by their step: several forms on one page must not share field ids.
        name: form_class(request.POST if which == name else None, request.FILES if which == name else None,
                         prefix=name)
        for name, (form_class, statuses) in ACTION_FORMS.items() if application.status in statuses
    }
    cases = list(application.remedies.all())
    for case in cases:
        name = f"{DECIDE}{case.pk}"
        case.form = forms[name] = DecisionForm(request.POST if which == name else None, prefix=name)
    revealed = which == "reveal"
    if revealed:
        audit.record_here(AuditAction.VIEW_APPLICANT_DATA, user=request.user, application=application.tracking_code)
    elif which == "draft" and "answer" in forms:
        # Fill the 告知书 from the statutory wording of the chosen result; nothing is saved.
        result, reason = request.POST.get("answer-result", ""), request.POST.get("answer-reason", "")
        forms["answer"] = AnswerForm(prefix="answer", initial={
            "result": result, "reason": reason,
            "notice": notices.draft(application, result=result, reason=reason, organiser=notices.site_organiser(),
                                    today=timezone.localdate()),
        })
    elif which in forms:
        form = forms[which]
        if form.is_valid():
            try:
                with transaction.atomic():
                    locked = Application.objects.select_for_update().get(pk=application.pk)
                    message = _apply(request, locked, which, form.cleaned_data)
            except actions.ApplicationActionError as exc:
                form.add_error(None, str(exc))
            else:
                flash.success(request, message)
                return redirect("disclosure_admin:detail", pk=application.pk)
    today = timezone.localdate()
    _annotate(application, today)
    response = render(request, "disclosure/admin/detail.html", {
        "application": application, "Status": Status, "revealed": revealed, "forms": forms,
        "is_open": application.status in OPEN_STATUSES, "events": application.events.all(), "cases": cases,
        "proofs": application.files.filter(kind="proof"), "answer_files": application.files.filter(kind="answer"),
        "masked_name": privacy.mask_name(application.name), "masked_id": mask_id(application.id_number),
        "masked_phone": privacy.mask_phone(application.phone), "masked_email": privacy.mask_email(application.email),
    }, status=400 if which in forms and forms[which].errors else 200)
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


def _apply(request, application, which, data):
    """Run the posted step; returns the sentence to show."""
    user = request.user
    if which == "completion":
        actions.request_completion(application, items=data["items"], period_days=data["period_days"],
                                   acting_user=user)
        return f"已告知补正，补正期限至 {application.completion_due:%Y-%m-%d}"
    if which == "completed":
        actions.receive_completion(application, note=data["note"], late_reason=data["late_reason"], acting_user=user)
        return f"已收到补正，答复期限重新计算至 {application.due_date:%Y-%m-%d}"
    if which == "extend":
        actions.extend(application, days=data["days"], approver=data["approver"], reason=data["reason"],
                       acting_user=user)
        return f"答复期限已延长至 {application.due_date:%Y-%m-%d}"
    if which == "consult":
        actions.start_consultation(application, third_party=data["third_party"], acting_user=user)
        return f"已征求第三方意见，第三方答复期限 {application.consultation_due:%Y-%m-%d}，其间暂停计时"
    if which == "remedy":
        case = remedies.record_case(application, kind=data["kind"], filed_on=data["filed_on"],
                                    authority=data["authority"], case_number=data["case_number"], note=data["note"],
                                    acting_user=user)
        return f"已登记{case.get_kind_display()}"
    if which.startswith(DECIDE):
        case = get_object_or_404(application.remedies, pk=which.removeprefix(DECIDE))
        remedies.decide_case(case, outcome=data["outcome"], decided_on=data["decided_on"], note=data["note"],
                             acting_user=user)
        return f"已登记{case.get_kind_display()}结果：{case.get_outcome_display()}"
    if which == "consultation_end":
        actions.end_consultation(application, outcome=data["outcome"], acting_user=user)
        return f"征求意见结束，答复期限顺延至 {application.due_date:%Y-%m-%d}"
    notice = data["notice"] or notices.draft(application, result=data["result"], reason=data["reason"],
                                             organiser=notices.site_organiser(), today=timezone.localdate())
    actions.answer(application, result=data["result"], reason=data["reason"], notice=notice,
                   files=data["files"], acting_user=user)
    return "已答复：" + application.result_summary


@permission_required(PERMISSION, raise_exception=True)
def download(request, pk, file_pk):
    row = get_object_or_404(ApplicationFile.objects.select_related("application"), pk=file_pk, application_id=pk)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    # A proof of identity is personal data: who took a copy is recorded.
    audit.record_here(AuditAction.DOWNLOAD_APPLICATION_FILE, user=request.user,
                      application=row.application.tracking_code, file=row.name)
    return FileResponse(handle, as_attachment=True, filename=row.name)


@permission_required(PERMISSION, raise_exception=True)
def notice(request, pk):
    """The 告知书 as the applicant receives it (PDF), once the application is answered."""
    application = get_object_or_404(Application, pk=pk, status=Status.CLOSED)
    return pdf.response(application)
