"""The province's sites: the tree with its figures, provisioning, one site's page, its domains."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from library.models import ResourceItem
from tenants import actions, audit, site_stats, staff_roles
from tenants.models import UNFINISHED, AuditAction, AuditEvent, GovSite, SiteJob, SiteLevel, SiteStats, SiteStatus
from tenants.spreadsheets import csv_download, csv_safe

from ..access import add_errors, client_ip, forbidden, operator_required, own_account, staff_required
from ..forms import DomainForm, ProvisionSiteForm


class SiteFilterForm(forms.Form):
    q = forms.CharField(label="名称", required=False, max_length=50)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *SiteStatus.choices])
    level = forms.ChoiceField(label="级别", required=False, choices=[("", "全部"), *SiteLevel.choices])
    parent = forms.CharField(label="所属上级（区划代码）", required=False, max_length=12,
                             help_text="该站点及其下级全部站点")


@own_account
def site_tree(request):
    """The province's sites as a tree, filtered by name, status, level or subtree; CSV with ?format=csv.

    The console's home: an audit administrator, who reads nothing but the trail, is sent there.
    """
    if not staff_roles.can_read(request.user):
        return redirect("console:audit") if staff_roles.can_audit(request.user) else forbidden(request)
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
        audit.record(AuditAction.EXPORT_SITE_LIST, acting_user=request.user, source=client_ip(request), rows=len(rows),
                     filters={k: v for k, v in request.GET.items() if k != "format" and v})
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
            add_errors(form, exc)
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
            "unfinished_job": SiteJob.objects.filter(site=site, state__in=UNFINISHED).first(),
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
