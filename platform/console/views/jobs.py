"""后台操作: the long operations started from the console, each with a page that shows how far it got.

The page is the job's row, so it survives a reload and a closed browser. While the job has not
ended, a small script (console/job.js) fetches the page again every few seconds and replaces
its status part in place; a refresh without script is one link away. Not a meta refresh: a page
that reloads itself is a WCAG 2.2.1 failure (axe's meta-refresh rule).
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
    return render(request, "console/job.html", {
        "job": job, "refresh_seconds": REFRESH_SECONDS, "worker_late": waiting > WORKER_LATE_SECONDS,
        "links": _links(job),
    })


def _links(job):
    """Where to go from a job: the site it made or changed, its backups, or where to try again."""
    links = []
    # The site it changed, and the one it made or moved into (a restore as new, a fold's county).
    ids = dict.fromkeys(pk for pk in (job.site_id, job.result.get("site")) if pk)
    for site in GovSite.objects.filter(pk__in=ids).order_by("region_code"):
        links.append(("console:site", site.pk, f"查看站点“{site.name}”"))
        if job.kind in ("backup", "verify_backup", "restore", "restore_as_new"):
            links.append(("console:site_backups", site.pk, "站点的备份"))
    backup = job.params.get("backup")
    if job.state in (JobState.FAILED, JobState.INTERRUPTED) and SiteBackup.objects.filter(pk=backup).exists():
        links.append(("console:restore_new" if job.kind == "restore_as_new" else "console:restore", backup, "重新恢复"))
    if job.kind == "backup_all":
        links.append(("console:backups", None, "全平台备份"))
    return links
