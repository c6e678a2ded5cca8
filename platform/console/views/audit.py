"""审计记录: one trail of every console action and every site's admin actions; filtered, paged, exported."""

import json

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from tenants import audit
from tenants.models import AuditAction, AuditEvent
from tenants.spreadsheets import csv_download, csv_safe

from ..access import audit_required

AUDIT_PAGE_SIZE = 50
AUDIT_CSV_LIMIT = 100_000


class AuditFilterForm(forms.Form):
    site = forms.CharField(label="站点区划代码", required=False, max_length=12)
    action = forms.CharField(label="操作", required=False, max_length=60,
                             help_text="如 publish、suspend_site；站点内操作以 site: 开头")
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label="关键词", required=False, max_length=100, help_text="在标题、站点、来源和详情中查找")


def audit_events(form):
    """The trail narrowed by the form's valid fields (an invalid field is ignored, and shown as such)."""
    events = AuditEvent.objects.all()
    if not form.is_bound:
        return events
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    if data.get("site"):
        events = events.filter(site__region_code=data["site"].strip())
    if data.get("action"):
        events = events.filter(action__icontains=data["action"].strip())
    if data.get("actor"):
        events = events.filter(actor_label__icontains=data["actor"].strip())
    if data.get("start"):
        events = events.filter(created_at__date__gte=data["start"])
    if data.get("end"):
        events = events.filter(created_at__date__lte=data["end"])
    if data.get("q"):
        text = data["q"].strip()
        events = events.annotate(detail_text=Cast("detail", TextField())).filter(
            Q(site_label__icontains=text) | Q(source__icontains=text) | Q(detail_text__icontains=text)
        )
    return events


@require_safe
@audit_required
def audit_trail(request):
    """Every console action and every site's admin actions: filtered, paged, exported. Read only."""
    form = AuditFilterForm(request.GET or None)
    events = audit_events(form)
    if request.GET.get("format") == "csv":
        filters = {k: v for k, v in request.GET.items() if k != "format" and v}
        audit.record(AuditAction.EXPORT_AUDIT, acting_user=request.user, source=audit.client_address(request),
                     filters=filters, rows=min(events.count(), AUDIT_CSV_LIMIT))
        return _audit_csv(events)
    page = Paginator(events.select_related("site"), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/audit.html", {
        "form": form, "page_obj": page, "query": query.urlencode(), "csv_limit": AUDIT_CSV_LIMIT,
    })


def _audit_csv(events):
    response, writer = csv_download("audit.csv", ["时间", "操作人", "操作", "站点", "来源", "详情"])
    for event in events[:AUDIT_CSV_LIMIT].iterator(chunk_size=2000):
        writer.writerow([
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            *map(csv_safe, [event.actor_label, event.action, event.site_label, event.source,
                            json.dumps(event.detail, ensure_ascii=False)]),
        ])
    return response
