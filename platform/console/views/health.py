"""网站监测: every site's indicators as a league table, and one site's drill-down.

Reads only the precomputed rows (monitoring.models), so 3,000 sites are one query and a page
of rows; every staff role may see it.
"""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from monitoring.indicators import thresholds
from monitoring.models import HealthSnapshot, SiteHealth
from tenants.models import GovSite, SiteLevel
from themes.charts import line_chart

from ..access import staff_required

PAGE_SIZE = 100
# The indicators shown as the table's columns, in order (key, short heading).
COLUMNS = [
    ("homepage", "首页更新"), ("stale_key_columns", "重点栏目不更新"), ("stale_columns", "应更新栏目不更新"),
    ("empty_columns", "空白栏目"), ("unanswered_messages", "留言超三个月未答复"), ("availability", "监测失败率"),
    ("broken_links", "不可用链接"), ("overdue_applications", "依申请公开超期"),
    ("disclosure_report", "公开年报逾期（天）"), ("serious_errors", "严重错误"),
]


class HealthFilterForm(forms.Form):
    state = forms.ChoiceField(label="状况", required=False, choices=[
        ("", "全部"), ("vetoed", "有否决项"), ("warning", "临近否决"), ("clear", "无问题"),
    ])
    level = forms.ChoiceField(label="级别", required=False, choices=[("", "全部"), *SiteLevel.choices])
    parent = forms.CharField(label="所属上级（区划代码）", required=False, max_length=12)


@require_safe
@staff_required
def dashboard(request):
    form = HealthFilterForm(request.GET or None)
    rows = SiteHealth.objects.select_related("site").order_by("-vetoes", "-warnings", "days_left", "site__region_code")
    if form.is_valid():
        data = form.cleaned_data
        if data["state"] == "vetoed":
            rows = rows.filter(vetoes__gt=0)
        elif data["state"] == "warning":
            rows = rows.filter(vetoes=0, warnings__gt=0)
        elif data["state"] == "clear":
            rows = rows.filter(vetoes=0, warnings=0)
        if data["level"]:
            rows = rows.filter(site__level=data["level"])
        if data["parent"]:
            rows = rows.filter(site__region_code__startswith=code_prefix(data["parent"].strip()))
    totals = {
        "sites": SiteHealth.objects.count(),
        "vetoed": SiteHealth.objects.filter(vetoes__gt=0).count(),
        "warning": SiteHealth.objects.filter(vetoes=0, warnings__gt=0).count(),
    }
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    offset = (page.number - 1) * PAGE_SIZE
    table = []
    for n, health in enumerate(page.object_list, start=1):
        by_key = {i["key"]: i for i in health.indicators}
        table.append((offset + n, health, [by_key.get(key) for key, _heading in COLUMNS]))
    return render(request, "console/health.html", {
        "form": form, "page_obj": page, "table": table, "totals": totals, "query": query.urlencode(),
        "columns": COLUMNS, "limits": thresholds(),
    })


def code_prefix(code):
    """Region codes below `code`: 510100 -> 5101, 510104 -> 510104 (a county's townships extend it)."""
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


@require_safe
@staff_required
def site_health(request, pk):
    site = get_object_or_404(GovSite.objects.prefetch_related("domains"), pk=pk)
    health = SiteHealth.objects.filter(site=site).first()
    history = list(HealthSnapshot.objects.filter(site=site).order_by("-day")[:90])[::-1]
    charts = [line_chart(label, [(s.day, s.values.get(key)) for s in history])
              for key, label in COLUMNS]
    return render(request, "console/site_health.html", {
        "site": site, "health": health, "history": history, "charts": charts,
    }, status=200 if health else 404)
