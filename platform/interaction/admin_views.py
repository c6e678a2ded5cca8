"""The editors' inbox in the site's Wagtail admin: thin views over interaction.actions.

Everything here runs in the site's own schema (the request's host chose it), so an
editor only ever sees the messages of the site they are logged into.
"""


from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html

from tenants import audit
from tenants.models import AuditAction
from tenants.spreadsheets import csv_download, csv_safe
from wording.checks import hits_html

from . import actions, privacy
from .forms import AssignForm, InvalidForm, ReplyForm
from .models import Category, ConsultationPage, Message, Status, statistics

PERMISSION = "interaction.handle_message"
INBOX_PAGE_SIZE = 30
FILTERS = {
    "open": ("待办", lambda qs, today: qs.open()),
    "overdue": ("已超期", lambda qs, today: qs.overdue(today)),
    "replied": ("已答复", lambda qs, today: qs.filter(status=Status.REPLIED)),
    "closed": ("已办结", lambda qs, today: qs.filter(status=Status.CLOSED)),
    "invalid": ("无效", lambda qs, today: qs.filter(status=Status.INVALID)),
    "all": ("全部", lambda qs, today: qs),
}


@permission_required(PERMISSION, raise_exception=True)
def inbox(request):
    today = timezone.localdate()
    current = request.GET.get("filter") if request.GET.get("filter") in FILTERS else "open"
    category = request.GET.get("category") if request.GET.get("category") in Category.values else ""
    queryset = FILTERS[current][1](Message.objects.all(), today)
    if category:
        queryset = queryset.filter(category=category)
    queryset = queryset.inbox_order(today).select_related("assignee")
    paginator = Paginator(queryset, INBOX_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("p"))
    for message in page_obj:
        message.urgency_class = message.urgency(today)
        message.days_left = message.working_days_left(today) if message.is_open else None
        message.days_overdue = -message.days_left if message.days_left is not None and message.days_left < 0 else 0
    counts = {key: FILTERS[key][1](Message.objects.all(), today).count() for key in ("open", "overdue")}
    return render(request, "interaction/admin/inbox.html", {
        "page_obj": page_obj, "paginator": paginator, "filters": [(k, v[0]) for k, v in FILTERS.items()],
        "current": current, "counts": counts, "stats": statistics(Message.objects.all()),
        "categories": Category.choices, "category": category,
        "open_error_reports": Message.objects.error_reports().open().count(),
    })


def _forms(message, data=None, which=None):
    """The action forms of the detail page; only `which` is bound to the POST data."""
    initial_assign = {"assignee": message.assignee, "department": message.department}
    return {
        "assign_form": AssignForm(data if which == "assign" else None, initial=initial_assign),
        "reply_form": ReplyForm(
            data if which == "reply" else None, initial={"reply": message.reply, "publish": message.is_published}
        ),
        "invalid_form": InvalidForm(data if which == "invalid" else None),
    }


@permission_required(PERMISSION, raise_exception=True)
def detail(request, pk):
    """One message: its contact details masked, in full after 查看完整信息 (a POST, audited)."""
    message = get_object_or_404(Message.objects.select_related("assignee", "replied_by"), pk=pk)
    which = request.POST.get("action") if request.method == "POST" else None
    forms = _forms(message, request.POST, which)
    revealed = which == "reveal" and not message.anonymised_at
    if revealed:
        audit.record_here(AuditAction.VIEW_PERSONAL_DATA, user=request.user, message=message.tracking_code)
    elif request.method == "POST":
        try:
            if _apply(request, message, which, forms):
                return redirect("interaction_admin:detail", pk=message.pk)
        except actions.MessageActionError as exc:
            flash.error(request, str(exc))
            return redirect("interaction_admin:detail", pk=message.pk)
    today = timezone.localdate()
    response = render(request, "interaction/admin/detail.html", {
        "message": message, "urgency": message.urgency(today),
        "days_left": message.working_days_left(today) if message.is_open else None,
        "Status": Status, "revealed": revealed, "masked_name": privacy.mask_name(message.name),
        "masked_contact": privacy.masked_contact(message), **forms,
    }, status=400 if which and any(f.errors for f in forms.values()) else 200)
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


def _apply(request, message, which, forms):
    """Run the posted action; True when it succeeded (the caller redirects)."""
    user = request.user
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if which == "assign" and forms["assign_form"].is_valid():
            data = forms["assign_form"].cleaned_data
            actions.assign_message(message, assignee=data["assignee"], department=data["department"], acting_user=user)
            flash.success(request, "已分办")
        elif which == "reply" and forms["reply_form"].is_valid():
            data = forms["reply_form"].cleaned_data
            actions.reply_to_message(message, reply=data["reply"], publish=data["publish"], acting_user=user,
                                     confirm_reason=data["confirm_reason"])
            flash.success(request, "答复已保存" + ("并公开" if message.is_published else ""))
            _tell_held(request, message)
        elif which == "invalid" and forms["invalid_form"].is_valid():
            data = forms["invalid_form"].cleaned_data
            actions.mark_invalid(message, reason=data["reason"], note=data["note"], acting_user=user)
            flash.success(request, "已标记为无效留言")
        elif which in ("publish", "unpublish"):
            actions.set_published(message, published=which == "publish", acting_user=user,
                                  confirm_reason=request.POST.get("confirm_reason", "")[:500])
            if not _tell_held(request, message):
                flash.success(request, "已公开" if which == "publish" else "已取消公开")
        elif which == "close":
            actions.close_message(message, acting_user=user)
            flash.success(request, "已办结")
        else:
            return False
    return True


def _tell_held(request, message):
    """What kept the exchange from being published (the 错敏词 check), if anything; True when it was held."""
    result = getattr(message, "wording_held", None)
    if result is None:
        return False
    if result.serious:
        flash.error(request, format_html("留言或答复含有严重错误，未公开。请修改答复；留言人原文中的错误请与留言人"
                                         "沟通或不予公开：{}", hits_html(result.serious)))
    else:
        flash.warning(request, format_html("留言或答复含有疑似错误或个人信息，未公开。请核对；确认无误的，"
                                           "填写“确认理由”后再公开：{}", hits_html(result.doubtful)))
    return True


@permission_required(PERMISSION, raise_exception=True)
def attachment(request, pk):
    message = get_object_or_404(Message, pk=pk)
    if not message.attachment:
        raise Http404("这条留言没有附件")
    try:
        handle = message.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件不存在") from exc
    # A citizen's file may hold personal data: who took a copy is recorded.
    audit.record_here(AuditAction.DOWNLOAD_ATTACHMENT, user=request.user, message=message.tracking_code,
                      file=message.attachment_name or "")
    return FileResponse(handle, as_attachment=True, filename=message.attachment_name or "attachment")


# --- consultations -----------------------------------------------------------------------


@permission_required(PERMISSION, raise_exception=True)
def consultations(request):
    pages = ConsultationPage.objects.annotate(feedback_count=Count("feedback")).order_by("-closes_at")
    return render(request, "interaction/admin/consultations.html", {"pages": pages})


@permission_required(PERMISSION, raise_exception=True)
def consultation_feedback(request, pk):
    consultation = get_object_or_404(ConsultationPage, pk=pk)
    questions = list(consultation.questions.all())
    paginator = Paginator(consultation.feedback.all(), INBOX_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("p"))
    rows = [(feedback, feedback.answer_rows(questions)) for feedback in page_obj]
    for feedback, _answers in rows:  # masked here; in full only in the audited CSV export
        feedback.masked_name, feedback.masked_contact = privacy.mask_name(feedback.name), privacy.mask_contact(
            feedback.contact)
    return render(request, "interaction/admin/consultation_feedback.html", {
        "consultation": consultation, "questions": questions, "rows": rows, "page_obj": page_obj,
        "paginator": paginator,
    })


@permission_required(PERMISSION, raise_exception=True)
def consultation_feedback_csv(request, pk):
    """All feedback of one consultation as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    consultation = get_object_or_404(ConsultationPage, pk=pk)
    questions = list(consultation.questions.all())
    response, writer = csv_download(
        f"consultation-{consultation.pk}-feedback.csv", ["提交时间", "姓名", "联系方式", *[q.text for q in questions],
                                                         "意见建议"],
    )
    rows = 0
    for feedback in consultation.feedback.order_by("submitted_at"):
        answers = [answer for _, answer in feedback.answer_rows(questions)]
        writer.writerow([
            timezone.localtime(feedback.submitted_at).strftime("%Y-%m-%d %H:%M"), *map(csv_safe, [
                feedback.name, feedback.contact, *answers, feedback.comment,
            ]),
        ])
        rows += 1
    # Names and contact details of citizens leave the platform: recorded (等保, personal data).
    audit.record_here(AuditAction.EXPORT_PERSONAL_DATA, user=request.user, what="征集意见反馈",
                      consultation=consultation.title, rows=rows)
    return response

