"""网页防篡改: the province's incidents (monitoring.tamper), open ones first, each with the difference
between what the platform published and what citizens received, closed with a note of what was done.

Every staff role may read them; system administrators, operators (who run the front end) and security
administrators (an incident is a security event) close them.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from monitoring import tamper
from monitoring.models import TamperIncident, TamperWatch
from tenants import staff_roles

from ..access import client_ip, staff_required

PAGE_SIZE = 100
CLOSERS = (staff_roles.SYSTEM, staff_roles.OPERATOR, staff_roles.SECURITY)


def can_close(user):
    return staff_roles.role_of(user) in CLOSERS


class CloseForm(forms.Form):
    note = forms.CharField(label="处置说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="查明的原因（例如缓存被污染、前端服务器被改动）和采取的措施")


@require_safe
@staff_required
def incidents(request):
    rows = TamperIncident.objects.select_related("site").order_by(F("closed_at").desc(nulls_first=True), "-opened_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    watched = TamperWatch.objects.filter(last_run_at__isnull=False)
    unreadable = watched.exclude(last_error="").select_related("site").order_by("site__region_code")[:50]
    return render(request, "console/tamper.html", {
        "page_obj": page, "open_count": TamperIncident.objects.filter(closed_at__isnull=True).count(),
        "watched": watched.count(), "unreadable": unreadable,
        "last_run": watched.order_by("-last_run_at").values_list("last_run_at", flat=True).first(),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def incident(request, pk):
    incident = get_object_or_404(TamperIncident.objects.select_related("site"), pk=pk)
    form = CloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_close(request.user):
            return render(request, "console/forbidden.html", status=403)
        if form.is_valid():
            try:
                tamper.close_incident(incident, form.cleaned_data["note"], acting_user=request.user,
                                      source=client_ip(request))
            except tamper.IncidentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已处置：{incident.url}")
                return redirect("console:tamper")
        status = 400
    return render(request, "console/tamper_incident.html", {
        "incident": incident, "diff": tamper.diff(incident), "form": form, "can_close": can_close(request.user),
    }, status=status)
