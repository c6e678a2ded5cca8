"""Console views for the life of a site: suspend, resume, archive, unarchive, fold, delete; backups and restores.

Each change is a GET that shows what will happen (a confirmation step) and a POST that
calls one action of tenants.actions, or, for the long ones (fold, delete, backups, restores),
checks what can be checked at once and hands the action to the job worker (tenants.jobs),
then shows the job's page. Suspending, archiving and backing up are for operators and
administrators; folding, deleting and restoring, which replace or remove a site's content,
for administrators only.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from tenants import actions, jobs, staff_roles
from tenants.models import UNFINISHED, GovSite, JobKind, SiteBackup, SiteJob, SiteStatus

from ..access import add_errors, client_ip, forbidden, staff_required, system_required
from ..forms import ArchiveForm, DeleteSiteForm, RestoreAsNewForm, RestoreForm


@dataclass(frozen=True)
class Step:
    title: str
    explain: str
    button: str
    allowed_from: tuple
    run: Callable | None  # (site, cleaned_data, acting_user, source); None: a job of `job` kind does it
    success: str
    form: type | None = None
    system_only: bool = False
    precheck: Callable | None = None  # raises SiteActionError when the step cannot apply to this site
    job: JobKind | None = None  # a long step: checked here (`check`), done by the job worker
    check: Callable | None = None  # (site, cleaned_data): what the job would refuse, found before it is queued


STEPS = {
    "suspend": Step(
        "暂停站点",
        "访问者将看到“网站维护中”页面（HTTP 503，附 Retry-After），编辑也无法进入后台。数据不变，可随时恢复访问。",
        "确认暂停", (SiteStatus.ACTIVE,),
        lambda site, data, user, source: actions.suspend_site(site, acting_user=user, source=source),
        "站点“{site}”已暂停，访问者将看到维护页面。",
    ),
    "resume": Step(
        "恢复访问", "站点重新对外开放，编辑可以照常登录后台。", "确认恢复", (SiteStatus.SUSPENDED,),
        lambda site, data, user, source: actions.resume_site(site, acting_user=user, source=source),
        "站点“{site}”已恢复访问。",
    ),
    "archive": Step(
        "归档站点",
        "网站仍可访问和查阅，但内容冻结：编辑不能新建、修改、发布或撤回，网站不再受理留言；每个页面顶部显示"
        "“本网站已归档”并链接到接续站点。归档可以取消。",
        "确认归档", (SiteStatus.ACTIVE, SiteStatus.SUSPENDED),
        lambda site, data, user, source: actions.archive_site(
            site, successor=data.get("successor"), acting_user=user, source=source
        ),
        "站点“{site}”已归档。", form=ArchiveForm,
    ),
    "unarchive": Step(
        "取消归档", "站点恢复为运行中：编辑可以再次发布，网站重新受理留言，归档提示消失。", "确认取消归档",
        (SiteStatus.ARCHIVED,),
        lambda site, data, user, source: actions.unarchive_site(site, acting_user=user, source=source),
        "站点“{site}”已恢复运行。",
    ),
    "fold": Step(
        "并入县级站点",
        "乡镇（街道）网站的全部栏目、文章、图片、附件和群众留言将移入上级县级站点新建的“专栏”栏目；"
        "原网址全部 301 跳转到新地址，原域名继续跳转；乡镇站点的数据库模式保留归档，不会删除。此操作不能撤销。",
        "确认并入", (SiteStatus.ACTIVE, SiteStatus.SUSPENDED), None, "",
        system_only=True, precheck=actions.check_foldable, job=JobKind.FOLD,
        check=lambda site, data: actions.check_foldable(site),
    ),
    "delete": Step(
        "删除站点",
        "将永久删除站点的数据库模式、图片和附件，并释放其域名。站点的备份和审计记录会保留，可以用备份恢复为新站点。"
        "只有已暂停或已归档、且有其后校验通过的备份的站点才能删除。",
        "永久删除", (SiteStatus.SUSPENDED, SiteStatus.ARCHIVED), None, "",
        form=DeleteSiteForm, system_only=True, job=JobKind.DELETE,
        check=lambda site, data: actions.check_deletable(site, data["confirm_name"]),
    ),
}


@staff_required
def lifecycle(request, pk, op):
    """GET: what the step will do, and its form; POST: do it."""
    step = STEPS[op]
    site = get_object_or_404(GovSite.objects.select_related("parent", "successor").prefetch_related("domains"), pk=pk)
    allowed = staff_roles.can_administer_sites if step.system_only else staff_roles.can_operate
    if not allowed(request.user):
        return forbidden(request)
    form = None
    if step.form is ArchiveForm:
        form = ArchiveForm(request.POST or None, site=site)
    elif step.form is not None:
        form = step.form(request.POST or None)
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            if step.job is not None:
                step.check(site, data)
                job = jobs.start(step.job, site=site, params=data, acting_user=request.user, source=client_ip(request))
                return redirect("console:job", pk=job.pk)
            step.run(site, data, request.user, client_ip(request))
        except ValidationError as exc:
            if form is not None:
                add_errors(form, exc)
            else:
                error = "；".join(exc.messages)
        else:
            messages.success(request, step.success.format(site=site.name))
            return redirect("console:sites") if op == "delete" else redirect("console:site", pk=pk)
    possible, blocked = site.status in step.allowed_from, None
    if possible and step.precheck is not None:
        try:
            step.precheck(site)
        except ValidationError as exc:
            possible, blocked = False, "；".join(exc.messages)
    context = {
        "site": site, "step": step, "op": op, "form": form, "error": error,
        "possible": possible, "blocked": blocked,
        "backup": SiteBackup.deletable_for(site) if op == "delete" else None,
    }
    failed = request.method == "POST"
    return render(request, "console/lifecycle_confirm.html", context, status=400 if failed else 200)


@staff_required
def site_backups_view(request, pk):
    """A site's backups with size, age and check result; operators make and check them here."""
    site = get_object_or_404(GovSite.objects.prefetch_related("domains"), pk=pk)
    if request.method == "POST":
        return _backup_post(request, site)
    return render(request, "console/backups.html", {
        "site": site, "backups": SiteBackup.objects.filter(site=site),
        "unfinished_job": SiteJob.objects.filter(site=site, state__in=UNFINISHED).first(),
    })


def _backup_post(request, site):
    op = request.POST.get("op")
    needs = staff_roles.can_administer_sites if op == "delete" else staff_roles.can_operate
    if not needs(request.user):
        return forbidden(request)
    source = client_ip(request)
    try:
        if op == "backup":
            job = jobs.start(JobKind.BACKUP, site=site, acting_user=request.user, source=source)
            return redirect("console:job", pk=job.pk)
        if op in ("verify", "delete"):
            backup = SiteBackup.objects.filter(pk=_number(request.POST.get("backup")), site=site).first()
            if backup is None:
                messages.error(request, "找不到这份备份（可能已被删除）。")
            elif op == "verify":
                job = jobs.start(JobKind.VERIFY_BACKUP, site=site, params={"backup": backup.pk},
                                 acting_user=request.user, source=source)
                return redirect("console:job", pk=job.pk)
            else:
                actions.delete_backup(backup, acting_user=request.user, source=source)
                messages.success(request, "已删除这份备份。")
        else:
            messages.error(request, "未知操作。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("console:site_backups", pk=site.pk)


def _number(value):
    """A posted id, or None when it is not a number (a tampered form finds nothing, never a 500)."""
    return int(value) if value and value.isdigit() else None


@staff_required
def all_backups(request):
    """Every backup on the platform; those of deleted sites can be restored as new sites from here.

    POST: back every site up now (a job), as the nightly timer does.
    """
    if request.method == "POST":
        if not staff_roles.can_operate(request.user):
            return forbidden(request)
        try:
            job = jobs.start(JobKind.BACKUP_ALL, acting_user=request.user, source=client_ip(request))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("console:backups")
        return redirect("console:job", pk=job.pk)
    backups = SiteBackup.objects.select_related("site")
    if request.GET.get("deleted"):
        backups = backups.filter(site__isnull=True)
    return render(request, "console/all_backups.html", {
        "backups": backups[:500], "deleted_only": bool(request.GET.get("deleted")),
        "unfinished_job": SiteJob.objects.filter(kind=JobKind.BACKUP_ALL, state__in=UNFINISHED).first(),
    })


@system_required
def restore(request, backup_pk):
    """Restore a site over itself from one of its backups (confirmation, then the restore)."""
    backup = get_object_or_404(SiteBackup.objects.select_related("site"), pk=backup_pk)
    if backup.site is None:
        return redirect("console:restore_new", backup_pk=backup.pk)
    form = RestoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.start(
                JobKind.RESTORE, site=backup.site, acting_user=request.user, source=client_ip(request),
                params={"backup": backup.pk, **form.cleaned_data},
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("console:job", pk=job.pk)
    return render(request, "console/restore.html", {"backup": backup, "form": form},
                  status=400 if form.errors else 200)


@system_required
def restore_new(request, backup_pk):
    """Make a new site from a backup (a deleted site's, or a copy beside the original)."""
    backup = get_object_or_404(SiteBackup.objects.select_related("site"), pk=backup_pk)
    initial = {"name": backup.site_name}
    if backup.site is None:
        initial |= {"region_code": backup.region_code}
    form = RestoreAsNewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.check_restore_as_new(
                backup, name=data["name"], parent=data["parent"], region_code=data["region_code"],
                site_code=data["site_code"], domains=[data["domain"]],
            )
            job = jobs.start(
                JobKind.RESTORE_AS_NEW, acting_user=request.user, source=client_ip(request),
                params={**data, "backup": backup.pk, "parent": data["parent"].pk if data["parent"] else None},
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("console:job", pk=job.pk)
    return render(request, "console/restore_new.html", {"backup": backup, "form": form},
                  status=400 if form.errors else 200)
