"""后台操作: the long operations started from the console, each with a page that shows how far it got.

The page reloads itself every few seconds while its job is queued or running (a meta refresh:
no script, and it survives the browser being closed and reopened); `?refresh=0` stops that for
whoever needs the page to stay still (a screen reader, WCAG 2.2.1).
"""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from tenants import jobs
from tenants.models import GovSite, JobState, SiteBackup, SiteJob

from ..access import staff_required

REFRESH_SECONDS = 3
# A job queued this long without starting: the page says to check the job worker.
WORKER_LATE_SECONDS = 60


@require_safe
@staff_required
def job_list(request):
    jobs.settle_interrupted()
    recent = SiteJob.objects.select_related("site", "requested_by")
    if request.GET.get("site", "").isdigit():
        recent = recent.filter(site_id=int(request.GET["site"]))
    return render(request, "console/jobs.html", {"jobs": recent[:200]})


@require_safe
@staff_required
def job_detail(request, pk):
    jobs.settle_interrupted()
    job = get_object_or_404(SiteJob.objects.select_related("site", "requested_by"), pk=pk)
    waiting = (timezone.now() - job.created_at).total_seconds() if job.state == JobState.QUEUED else 0
    paused = request.GET.get("refresh") == "0"
    return render(request, "console/job.html", {
        "job": job, "refresh_seconds": None if job.finished or paused else REFRESH_SECONDS, "paused": paused,
        "worker_late": waiting > WORKER_LATE_SECONDS, "links": _links(job),
    })


def _links(job):
    """Where to go from a job: the site it made or changed, its backups, or where to try again."""
    links = []
    site = GovSite.objects.filter(pk=job.result.get("site") or job.site_id or 0).first()
    if site is not None:
        links.append(("console:site", site.pk, f"查看站点“{site.name}”"))
        links.append(("console:site_backups", site.pk, "站点的备份"))
    backup = job.params.get("backup")
    if job.state in (JobState.FAILED, JobState.INTERRUPTED) and SiteBackup.objects.filter(pk=backup).exists():
        links.append(("console:restore_new" if job.kind == "restore_as_new" else "console:restore", backup, "重新恢复"))
    if job.kind == "backup_all":
        links.append(("console:backups", None, "全平台备份"))
    return links
