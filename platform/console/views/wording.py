"""错敏词: the province's word lists, kept here for every site (wording.actions; each change audited).

Every staff role may read them; system administrators and operators change them. A CSV import is taken
whole or refused with every bad line named (wording.listio).
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from tenants import staff_roles
from wording import actions
from wording.listio import ListError, export_terms, parse_terms
from wording.models import Finding, Kind, Leader, ScanRun, Term

from ..access import client_ip, operator_required, staff_required

PAGE_SIZE = 100
MAX_UPLOAD = 5 * 1024 * 1024


class TermForm(forms.Form):
    text = forms.CharField(label="词语", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=Kind.choices)
    correct = forms.CharField(label="正确写法", max_length=200, required=False, help_text="严重错误必须填写")
    note = forms.CharField(label="说明", max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV 文件",
                           help_text="列为 词语,类别,正确写法,说明；类别为“严重”或“疑似”；UTF-8 或 GBK 编码")


class LeaderForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=20)
    title = forms.CharField(label="职务", max_length=50)
    rank = forms.IntegerField(label="排序", min_value=1, max_value=9999)


class FilterForm(forms.Form):
    q = forms.CharField(label="查找", required=False, max_length=100)
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *Kind.choices])


def _page(request, *, term_form=None, import_form=None, leader_form=None, problems=(), status=200):
    filters = FilterForm(request.GET or None)
    terms = Term.objects.all()
    if filters.is_valid():
        if filters.cleaned_data["q"]:
            terms = terms.filter(Q(text__contains=filters.cleaned_data["q"]) |
                                 Q(correct__contains=filters.cleaned_data["q"]))
        if filters.cleaned_data["kind"]:
            terms = terms.filter(kind=filters.cleaned_data["kind"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/wording.html", {
        "filters": filters, "page_obj": Paginator(terms, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(), "leaders": Leader.objects.all(),
        "counts": {kind: Term.objects.filter(kind=kind).count() for kind in Kind.values},
        "can_change": staff_roles.can_operate(request.user),
        "term_form": term_form or TermForm(), "import_form": import_form or ImportForm(),
        "leader_form": leader_form or LeaderForm(), "problems": problems, **_scan_state(),
    }, status=status)


def _scan_state():
    """The latest re-scan (how far it is) and the sites with the most serious findings now."""
    latest = ScanRun.objects.order_by("-requested_at").first()
    worst = (Finding.objects.filter(kind=Kind.SERIOUS).values("site__pk", "site__name")
             .annotate(n=Count("pk")).order_by("-n", "site__name")[:20])
    return {"scan": latest, "scan_done": latest.sites_done if latest else 0, "worst_sites": worst,
            "serious_total": Finding.objects.filter(kind=Kind.SERIOUS).count()}


@require_safe
@staff_required
def lists(request):
    return _page(request)


@require_POST
@operator_required
def add_term(request):
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            term = actions.add_term(**form.cleaned_data, acting_user=request.user, source=client_ip(request))
        except actions.WordingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已添加“{term.text}”")
            return redirect("console:wording")
    return _page(request, term_form=form, status=400)


@require_POST
@operator_required
def remove_term(request, pk):
    term = get_object_or_404(Term, pk=pk)
    actions.remove_term(term, acting_user=request.user, source=client_ip(request))
    messages.success(request, f"已删除“{term.text}”")
    return redirect("console:wording")


@require_POST
@operator_required
def import_terms(request):
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD:
                raise ListError([f"文件超过 {MAX_UPLOAD // 1024 // 1024} MB"])
            rows = parse_terms(upload.read())
            added, updated = actions.import_terms(rows, acting_user=request.user, source_name=upload.name,
                                                  source=client_ip(request))
        except ListError as exc:
            return _page(request, import_form=form, problems=exc.problems, status=400)
        messages.success(request, f"已导入 {upload.name}：新增 {added} 条，更新 {updated} 条")
        return redirect("console:wording")
    return _page(request, import_form=form, status=400)


@require_safe
@staff_required
def export(request):
    response = HttpResponse(export_terms(Term.objects.all()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wording-terms.csv"'
    return response


@require_POST
@operator_required
def add_leader(request):
    form = LeaderForm(request.POST)
    if form.is_valid():
        try:
            actions.add_leader(**form.cleaned_data, acting_user=request.user, source=client_ip(request))
        except actions.WordingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已添加{form.cleaned_data['title']}{form.cleaned_data['name']}")
            return redirect("console:wording")
    return _page(request, leader_form=form, status=400)


@require_POST
@operator_required
def remove_leader(request, pk):
    leader = get_object_or_404(Leader, pk=pk)
    actions.remove_leader(leader, acting_user=request.user, source=client_ip(request))
    messages.success(request, f"已删除{leader.title}{leader.name}")
    return redirect("console:wording")
