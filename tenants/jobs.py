"""Long site operations as background jobs: the console asks, the job worker does, the job page tells.

A backup, a restore, a fold or a delete takes longer than a request may (gunicorn kills a worker
after 30 s). `start` writes a SiteJob and its task (django-tasks' DBTaskResult) in one transaction
and returns at once; the job worker (`manage.py db_worker --backend jobs --queue-name site-jobs`,
deploy/systemd/govsites-jobs.service) runs the task, which calls the same action of tenants.actions
the command line calls, as the person who asked, and writes each phase on the SiteJob as it goes.
The console's job page reads the row, so it survives a reload and a change of browser.

While it runs, a job holds a session advisory lock (JOB_LOCK, its id): a worker that dies frees it
with its connection, so a job still marked running without its lock was interrupted, and
`settle_interrupted` says so on the row. The actions themselves are crash-safe (one transaction
each; a restore's files follow its database through PendingMediaSwap, finished by
finish_interrupted_restores, which the worker runs before it starts), so an interrupted job left
its site as it was or as the operation made it; the job's outcome says which to look for.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import actions
from .actions.base import release_advisory_lock, require_public_schema, try_advisory_lock
from .models import UNFINISHED, GovSite, JobKind, JobState, SiteBackup, SiteJob

logger = logging.getLogger(__name__)

# Advisory lock namespace of running jobs; the key is the job's id (see actions.base for 48_112/3).
JOB_LOCK = 48_114

# A task a worker claimed but whose job never started running: after this long, that worker is gone.
CLAIM_GRACE = timedelta(minutes=1)

QUEUE = "site-jobs"


def start(kind, *, site=None, params=None, acting_user, source=""):
    """Queue a job; SiteActionError when the site already has one queued or running."""
    require_public_schema()
    settle_interrupted()  # a job whose worker died must not hold its site's place in the queue
    try:
        with transaction.atomic():
            job = SiteJob.objects.create(
                kind=kind, site=site, site_label=str(site) if site else "", params=params or {},
                requested_by=acting_user if getattr(acting_user, "pk", None) else None, source=source,
            )
            job.task_id = str(run_job.enqueue(job.pk).id)
            job.save(update_fields=["task_id"])
    except IntegrityError as exc:
        busy = SiteJob.objects.filter(state__in=UNFINISHED)
        busy = busy.filter(site=site) if site is not None else busy.filter(kind=kind)
        other = busy.first()
        what = f"“{other.get_kind_display()}”" if other else "另一项操作"
        where = f"站点“{site.name}”" if site is not None else "平台"
        raise actions.SiteActionError(f"{where}已有{what}在排队或进行中，请等它结束后再试") from exc
    return job


@task(backend="jobs", queue_name=QUEUE)
def run_job(job_id):
    """The task the worker runs: the job's action, its outcome on the row."""
    run(job_id)


def run(job_id):
    """Run one queued job under its lock; a job settled or run already is left alone."""
    require_public_schema()
    if not try_advisory_lock(JOB_LOCK, job_id):
        return  # another worker has it
    try:
        now = timezone.now()
        if not SiteJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(state=JobState.RUNNING, started_at=now):
            return
        job = SiteJob.objects.select_related("site", "requested_by").get(pk=job_id)
        try:
            outcome, result = RUNNERS[job.kind](job, _progress(job))
        except actions.SiteActionError as exc:
            _finish(job, JobState.FAILED, "；".join(exc.messages))
        except Exception as exc:
            _finish(job, JobState.FAILED, f"执行出错（{type(exc).__name__}），详情见服务器日志（后台操作 {job.pk}）")
            raise  # the task result keeps the traceback; db_worker logs it
        else:
            _finish(job, JobState.SUCCEEDED, outcome, result)
    finally:
        connection.set_schema_to_public()
        release_advisory_lock(JOB_LOCK, job_id)


def _progress(job):
    def progress(step, *, done=None, total=None):
        fields = {"step": step[:200]}
        if done is not None:
            fields["done"] = done
        if total is not None:
            fields["total"] = total
        SiteJob.objects.filter(pk=job.pk).update(**fields)

    return progress


def _finish(job, state, outcome, result=None):
    SiteJob.objects.filter(pk=job.pk).update(
        state=state, outcome=outcome, result=result or {}, finished_at=timezone.now()
    )


def running_job_ids():
    """Ids of the jobs some worker holds the lock of right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s AND objsubid = 2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [JOB_LOCK],
        )
        return {row[0] for row in cursor.fetchall()}


INTERRUPTED = {
    JobKind.RESTORE: "恢复要么没有生效（站点保持原样），要么已经生效（其图片和附件由“完成中断的恢复”在一分钟内移入）："
                     "请打开站点查看后决定是否重新恢复。",
    JobKind.RESTORE_AS_NEW: "新站点要么没有建立，要么已经建立（其图片和附件由“完成中断的恢复”在一分钟内移入）："
                            "请在站点列表中查看后决定是否重新恢复。",
    JobKind.FOLD: "并入要么没有生效（两站保持原样），要么已经完成：请查看乡镇站点的状态。",
    JobKind.DELETE: "删除要么没有生效（站点保持原样），要么已经完成：请在站点列表中查看。",
}


def settle_interrupted():
    """Mark the jobs whose worker died as interrupted; returns how many.

    Running without its lock: the worker died while it ran. Queued, but its task claimed by a
    worker more than CLAIM_GRACE ago: that worker died before the job began. Their task results
    are marked failed too, so django-tasks' own views of the queue agree.
    """
    unfinished = list(SiteJob.objects.filter(state__in=UNFINISHED))
    if not unfinished:
        return 0
    held = running_job_ids()
    tasks = {str(t.id): t for t in DBTaskResult.objects.filter(id__in=[j.task_id for j in unfinished if j.task_id])}
    settled = 0
    for job in unfinished:
        task_result = tasks.get(job.task_id)
        if job.pk in held:
            continue
        if job.state == JobState.QUEUED and not _claimed_and_gone(task_result):
            continue
        outcome = "后台操作在执行中被中断（作业进程停止或服务器重启）。" + INTERRUPTED.get(
            job.kind, "可以重新发起这项操作。"
        )
        if SiteJob.objects.filter(pk=job.pk, state=job.state).update(
            state=JobState.INTERRUPTED, outcome=outcome, finished_at=timezone.now()
        ):
            settled += 1
            logger.warning("job %s (%s, %s) was interrupted", job.pk, job.kind, job.site_label)
        if task_result is not None and task_result.status == "RUNNING":
            task_result.set_failed(RuntimeError(f"worker died while running job {job.pk}"))
    return settled


def _claimed_and_gone(task_result):
    if task_result is None:
        return True  # the task is gone (pruned by hand): nothing will ever run the job
    return task_result.status != "READY" and (
        task_result.started_at is None or task_result.started_at < timezone.now() - CLAIM_GRACE
    )


# What each kind of job does: (job, progress) -> (outcome in Chinese, {"site": id, "backup": id}).

def _site(job):
    if job.site is None:
        raise actions.SiteActionError(f"站点“{job.site_label}”已不存在（可能已被删除）")
    return job.site


def _backup(job):
    backup = SiteBackup.objects.select_related("site").filter(pk=job.params.get("backup")).first()
    if backup is None:
        raise actions.SiteActionError("找不到这份备份（可能已被删除）")
    return backup


def _as(job):
    return {"acting_user": job.requested_by, "source": job.source}


def _run_backup(job, progress):
    site = _site(job)
    backup = actions.backup_site(site, progress=progress, **_as(job))
    return (f"已完成备份并校验通过：{backup.size / 1e6:.1f} MB，{backup.row_count} 行数据，"
            f"{backup.media_count} 个文件。"), {"site": site.pk, "backup": backup.pk}


def _run_verify(job, progress):
    backup = _backup(job)
    actions.verify_backup(backup, progress=progress, **_as(job))
    return "备份完整：每张表和每个文件的校验值都与清单一致。", {"site": backup.site_id, "backup": backup.pk}


def _run_restore(job, progress):
    backup = _backup(job)
    site = actions.restore_backup(
        backup, safety_backup=job.params.get("safety_backup", True),
        keep_accounts=job.params.get("keep_accounts", True), progress=progress, **_as(job),
    )
    return (f"站点“{site.name}”已恢复到 {timezone.localtime(backup.created_at):%Y-%m-%d %H:%M} 的备份，"
            "数据行数和文件校验值均已核对一致。"), {"site": site.pk, "backup": backup.pk}


def _run_restore_as_new(job, progress):
    backup, params = _backup(job), job.params
    parent = GovSite.objects.filter(pk=params["parent"]).first() if params.get("parent") else None
    site = actions.restore_as_new_site(
        backup, name=params["name"], parent=parent, region_code=params["region_code"],
        site_code=params["site_code"], domains=[params["domain"]], progress=progress, **_as(job),
    )
    SiteJob.objects.filter(pk=job.pk).update(site=site, site_label=str(site))
    return f"已从备份恢复为新站点“{site.name}”，数据行数和文件校验值均已核对一致。", {"site": site.pk}


def _run_fold(job, progress):
    fold = actions.fold_township(_site(job), progress=progress, **_as(job))
    return (f"站点“{fold.township.name}”已并入“{fold.county.name}”：{fold.count('pages')} 个页面、"
            f"{fold.count('messages')} 条留言，{fold.redirects} 个原网址跳转到新地址。"), {"site": fold.county.pk}


def _run_delete(job, progress):
    site = _site(job)
    actions.delete_site(site, confirm_name=job.params.get("confirm_name", ""), progress=progress, **_as(job))
    return f"站点“{site.name}”已删除；其备份和审计记录已保留。", {}


def _run_backup_all(job, progress):
    sites = list(GovSite.objects.order_by("region_code"))
    backups, failures = actions.backup_sites(sites, progress=progress, **_as(job))
    size = sum(b.size for b in backups) / 1e6
    if failures:
        listed = "；".join(f"{site}：{why}" for site, why in failures[:20]) + ("……" if len(failures) > 20 else "")
        raise actions.SiteActionError(
            f"已备份 {len(backups)} 个站点（{size:.1f} MB），{len(failures)} 个站点备份失败：{listed}"
        )
    return f"已备份全部 {len(backups)} 个站点，共 {size:.1f} MB，每份都已读回校验通过。", {}


RUNNERS = {
    JobKind.BACKUP: _run_backup,
    JobKind.VERIFY_BACKUP: _run_verify,
    JobKind.RESTORE: _run_restore,
    JobKind.RESTORE_AS_NEW: _run_restore_as_new,
    JobKind.FOLD: _run_fold,
    JobKind.DELETE: _run_delete,
    JobKind.BACKUP_ALL: _run_backup_all,
}
