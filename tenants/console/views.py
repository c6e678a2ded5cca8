"""Console views: thin wrappers around tenants.actions."""

import json
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, TextField
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from library.models import ResourceItem

from .. import actions, audit, roles, site_accounts, site_stats
from ..models import AuditEvent, GovSite, SiteLevel, SiteStats, SiteStatus
from ..spreadsheets import csv_download, csv_safe
from ..two_factor import needs_code, redirect_to_verify
from .forms import DomainForm, ProvisionSiteForm, SiteAccountForm


def staff_required(view, allowed=roles.role_of, verified=True):
    """Signed-in platform staff only; `allowed(user)` decides what else it takes (tenants.roles).

    An account with two-factor login must have entered its code in this session first
    (tenants/two_factor.py); `verified=False` only for the page where it does.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if verified and needs_code(request):
            return redirect_to_verify(request)
        if not request.user.is_staff:
            return render(request, "console/forbidden.html", status=403)
        if not allowed(request.user):
            return render(request, "console/forbidden.html", {"read_only": True}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def operator_required(view):
    """Changes to sites: administrators and operators; a supervisor's request is refused, nothing changes."""
    return staff_required(view, allowed=roles.can_operate)


def administrator_required(view):
    """Accounts and roles: platform administrators only."""
    return staff_required(view, allowed=roles.can_administer)


def client_ip(request):
    return audit.client_address(request)


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class SiteFilterForm(forms.Form):
    q = forms.CharField(label="名称", required=False, max_length=50)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *SiteStatus.choices])
    level = forms.ChoiceField(label="级别", required=False, choices=[("", "全部"), *SiteLevel.choices])
    parent = forms.CharField(label="所属上级（区划代码）", required=False, max_length=12,
                             help_text="该站点及其下级全部站点")


@staff_required
def site_tree(request):
    """The province's sites as a tree, filtered by name, status, level or subtree; CSV with ?format=csv."""
    sites = list(GovSite.objects.prefetch_related("domains").annotate(child_count=Count("children")))
    by_parent = {}
    for site in sites:
        by_parent.setdefault(site.parent_id, []).append(site)

    rows = []

    def walk(parent_id, depth):
        for site in by_parent.get(parent_id, []):
            rows.append((site, depth))
            walk(site.pk, depth + 1)

    walk(None, 0)
    counts = {status: sum(1 for s in sites if s.status == status) for status in SiteStatus.values}
    form = SiteFilterForm(request.GET or None)
    filtered = bool(request.GET) and form.is_valid() and any(form.cleaned_data.values())
    if filtered:
        rows = _filter_rows(rows, form.cleaned_data, by_parent)
    publishing = {
        row["site_id"]: row for row in
        ResourceItem.objects.values("site_id").annotate(last=Max("published_at"), items=Count("id"))
    }
    stats = {row.site_id: row for row in SiteStats.objects.all()}
    if request.GET.get("format") == "csv":
        return _sites_csv(rows, publishing, stats, {site.pk: site for site in sites})
    return render(request, "console/site_tree.html", {
        "rows": [(site, depth, publishing.get(site.pk, {}), stats.get(site.pk)) for site, depth in rows],
        "total": len(sites), "counts": counts, "form": form, "filtered": filtered, "query": request.GET.urlencode(),
        "stats_at": max((row.computed_at for row in stats.values()), default=None),
    })


def _filter_rows(rows, data, by_parent):
    keep = None
    if data["parent"]:
        top = GovSite.objects.filter(region_code=data["parent"].strip()).first()
        keep, frontier = set(), [top.pk] if top else []
        while frontier:
            keep.update(frontier)
            frontier = [child.pk for pk in frontier for child in by_parent.get(pk, [])]
    return [
        (site, depth) for site, depth in rows
        if (keep is None or site.pk in keep)
        and (not data["status"] or site.status == data["status"])
        and (not data["level"] or site.level == data["level"])
        and (not data["q"] or data["q"].strip() in site.name)
    ]


def _sites_csv(rows, publishing, site_stats, by_pk):
    response, writer = csv_download("sites.csv", [
        "站点", "级别", "区划代码", "网站标识码", "上级区划代码", "状态", "主域名", "其他域名", "开设时间", "最近发布",
        "已发布信息条数", "在用账号", "账号总数", "数据库（MB）", "文件（MB）", "统计时间",
    ])
    for site, _depth in rows:
        domains = list(site.domains.all())
        stats = publishing.get(site.pk, {})
        last = stats.get("last")
        size = site_stats.get(site.pk)
        writer.writerow([
            *map(csv_safe, [site.name, site.get_level_display(), site.region_code, site.site_code,
                            by_pk[site.parent_id].region_code if site.parent_id else "",
                            site.get_status_display()]),
            next((d.domain for d in domains if d.is_primary), ""),
            " ".join(d.domain for d in domains if not d.is_primary),
            timezone.localtime(site.created_at).strftime("%Y-%m-%d"),
            timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "",
            stats.get("items", 0),
            *(["", "", "", "", ""] if size is None else [
                "" if size.active_accounts is None else size.active_accounts,
                "" if size.accounts is None else size.accounts,
                f"{size.database_bytes / 1e6:.1f}", f"{size.media_bytes / 1e6:.1f}",
                timezone.localtime(size.computed_at).strftime("%Y-%m-%d %H:%M"),
            ]),
        ])
    return response


@operator_required
def provision(request):
    form = ProvisionSiteForm(request.POST or None, initial={"level": request.GET.get("level", "county")})
    if request.GET.get("parent"):
        form.initial["parent"] = request.GET["parent"]
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = actions.provision_site(
                name=data["name"], level=data["level"], parent=data["parent"],
                region_code=data["region_code"], site_code=data["site_code"],
                domains=[data["domain"]] if data["domain"] else None,
                acting_user=request.user, source=client_ip(request),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(request, "console/provisioned.html", {"result": result}, status=201)
    return render(request, "console/provision.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def site_detail(request, pk):
    site = get_object_or_404(GovSite.objects.prefetch_related("domains"), pk=pk)
    site_stats.refresh([site])  # one site is cheap to count: its page shows current figures
    return render(
        request,
        "console/site_detail.html",
        {
            "site": site,
            "stats": SiteStats.objects.filter(site=site).first(),
            "domain_form": DomainForm(),
            "events": AuditEvent.objects.filter(site=site)[:20],
        },
    )


@require_POST
@operator_required
def add_domain(request, pk):
    site = get_object_or_404(GovSite, pk=pk)
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            actions.add_domain(
                site, form.cleaned_data["domain"], make_primary=form.cleaned_data["make_primary"],
                acting_user=request.user, source=client_ip(request),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已添加域名 {form.cleaned_data['domain'].strip().lower()}。")
    else:
        messages.error(request, "请填写域名。")
    return redirect("console:site", pk=pk)


@require_POST
@operator_required
def domain_action(request, pk):
    site = get_object_or_404(GovSite, pk=pk)
    host = request.POST.get("domain", "")
    op = request.POST.get("op")
    try:
        if op == "primary":
            actions.set_primary_domain(site, host, acting_user=request.user, source=client_ip(request))
            messages.success(request, f"{host} 已设为主域名，其他域名将 301 跳转到它。")
        elif op == "remove":
            actions.remove_domain(site, host, acting_user=request.user, source=client_ip(request))
            messages.success(request, f"已删除域名 {host}。")
        else:
            messages.error(request, "未知操作。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("console:site", pk=pk)


@staff_required
def search_stats(request):
    """Top and zero-result searches of the last 30 days: all sites, or one (?site=<region code>)."""
    from library import stats

    code = (request.GET.get("site") or "").strip()
    site = GovSite.objects.filter(region_code=code).first() if code else None
    summary = stats.summary(sites=[site] if site else None)
    return render(request, "console/search_stats.html", {
        "stats": summary, "site": site, "sites": GovSite.objects.order_by("region_code"), "code": code,
    }, status=404 if code and site is None else 200)


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
@staff_required
def audit_trail(request):
    """Every console action and every site's admin actions: filtered, paged, exported. Read only."""
    form = AuditFilterForm(request.GET or None)
    events = audit_events(form)
    if request.GET.get("format") == "csv":
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


@staff_required
def site_accounts_view(request, pk):
    """A site's accounts (every staff role sees them); administrators create them here (POST)."""
    site = get_object_or_404(GovSite.objects.prefetch_related("domains"), pk=pk)
    form = SiteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not roles.can_administer(request.user):
            return render(request, "console/forbidden.html", {"read_only": True}, status=403)
        if form.is_valid():
            try:
                password = site_accounts.create_account(
                    site, **form.cleaned_data, acting_user=request.user, source=client_ip(request)
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return render(request, "console/site_account_password.html", {
                    "site": site, "username": form.cleaned_data["username"], "password": password, "created": True,
                }, status=201)
        status = 400
    return render(request, "console/site_accounts.html", {
        "site": site, "accounts": site_accounts.list_accounts(site), "form": form,
        "can_administer": roles.can_administer(request.user),
    }, status=status)


@require_safe
@staff_required
def find_accounts(request):
    """Who has access where: one site's accounts are on its page; this finds a person in every site."""
    text = (request.GET.get("q") or "").strip()
    found, capped = site_accounts.find_accounts(text)
    return render(request, "console/find_accounts.html", {
        "q": text[:100], "found": found, "capped": capped, "limit": site_accounts.FIND_LIMIT,
    })


@require_POST
@administrator_required
def site_account(request, pk, username):
    """Disable, enable or reset the password of one account of a site."""
    site = get_object_or_404(GovSite.objects.prefetch_related("domains"), pk=pk)
    op = request.POST.get("op")
    source = client_ip(request)
    try:
        if op == "reset":
            password = site_accounts.reset_password(site, username, acting_user=request.user, source=source)
            return render(request, "console/site_account_password.html", {
                "site": site, "username": username, "password": password, "created": False,
            })
        if op in ("disable", "enable"):
            site_accounts.set_active(site, username, op == "enable", acting_user=request.user, source=source)
            messages.success(request, f"账号 {username} 已{'启用' if op == 'enable' else '停用，其登录已全部失效'}。")
        else:
            messages.error(request, "未知操作。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("console:site_accounts", pk=pk)
