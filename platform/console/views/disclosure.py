"""依申请公开 across the province: every site's applications with their deadlines (overdue first), and
which sites have published last year's 政府信息公开工作年度报告.

Reads the public schema only: monitoring.TrackedApplication (no personal data) and
library.PublishedReport, so the whole province is a query and a page of rows. Each row links to
the application in its site's admin, where only that site's disclosure office can open it.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, When
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from disclosure import clock
from disclosure.choices import OPEN_STATUSES, ApplicantKind, Channel, Result, Status
from library.models import ReportKind
from monitoring.models import TrackedApplication
from reports.gathering import gather
from tenants.models import GovSite, SiteLevel, SiteStatus

from ..access import staff_required
from .health import code_prefix

PAGE_SIZE = 100
STATES = {
    "open": ("办理中（全部未答复）", Q(status__in=OPEN_STATUSES)),
    "overdue": ("已超期", None),  # needs today: see _state_filter
    "paused": ("补正或征求意见中", Q(status__in=[Status.AWAITING_COMPLETION, Status.CONSULTING])),
    "closed": ("已答复", Q(status=Status.CLOSED)),
    "all": ("全部", Q()),
}


class ApplicationFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[(k, v[0]) for k, v in STATES.items()])
    level = forms.ChoiceField(label="站点级别", required=False, choices=[("", "全部"), *SiteLevel.choices])
    parent = forms.CharField(label="所属区划（区划代码）", required=False, max_length=12)
    year = forms.IntegerField(label="收到年份", required=False, min_value=2000, max_value=2100)
    result = forms.ChoiceField(label="答复结果", required=False, choices=[("", "全部"), *Result.choices])


def _state_filter(state, today):
    if state == "overdue":
        return Q(status=Status.PROCESSING, due_date__lt=today)
    return STATES.get(state or "open", STATES["open"])[1]


@require_safe
@staff_required
def applications(request):
    today = timezone.localdate()
    form = ApplicationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    # Sites in service: a folded township's applications are its county's now (they moved with it).
    rows = TrackedApplication.objects.filter(site__status__in=[SiteStatus.ACTIVE, SiteStatus.SUSPENDED])
    rows = rows.filter(_state_filter(data.get("state"), today))
    if data.get("level"):
        rows = rows.filter(site__level=data["level"])
    if data.get("parent"):
        rows = rows.filter(site__region_code__startswith=code_prefix(data["parent"].strip()))
    if data.get("year"):
        rows = rows.filter(received_on__year=data["year"])
    if data.get("result"):
        rows = rows.filter(result=data["result"])
    rows = rows.select_related("site").prefetch_related("site__domains").annotate(rank=Case(
        When(status=Status.PROCESSING, due_date__lt=today, then=0),
        When(status=Status.PROCESSING, then=1),
        When(status__in=OPEN_STATUSES, then=2),
        default=3, output_field=IntegerField(),
    )).order_by("rank", "due_date", "-received_on", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.days_left = clock.working_days_left(today, row.due_date) if row.status == Status.PROCESSING else None
        row.admin_url = f"{row.site.base_url() or ''}/admin/disclosure/{row.application_id}/"
        row.kind_label = ApplicantKind(row.applicant_kind).label if row.applicant_kind in ApplicantKind.values else ""
        row.channel_label = Channel(row.channel).label if row.channel in Channel.values else ""
        row.status_label = Status(row.status).label if row.status in Status.values else row.status
        row.result_label = Result(row.result).label if row.result in Result.values else ""
    in_service = TrackedApplication.objects.filter(site__status__in=[SiteStatus.ACTIVE, SiteStatus.SUSPENDED])
    totals = {
        "open": in_service.filter(status__in=OPEN_STATUSES).count(),
        "overdue": in_service.filter(status=Status.PROCESSING, due_date__lt=today).count(),
        "received": in_service.filter(received_on__year=today.year).count(),
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/applications.html", {
        "form": form, "page_obj": page, "totals": totals, "query": query.urlencode(), "today": today,
        "reports": _reports(today.year - 1),
    })


def _reports(year):
    """Last year's disclosure reports across the province: how many are out, and the sites late with theirs."""
    root = GovSite.objects.filter(parent__isnull=True, status=SiteStatus.ACTIVE).order_by("region_code").first()
    if root is None:
        return None
    published, missing = gather(root, year, ReportKind.DISCLOSURE)
    return {
        "year": year, "published": len(published), "expected": len(published) + len(missing),
        "late_published": [row for row in published if row.late],
        "late_missing": [row for row in missing if row.late], "waiting": [row for row in missing if not row.late],
        "gathering_url": f"{root.base_url() or ''}/gknb/{year}/",
    }
