"""Long operations run as background jobs (tenants.jobs): the console answers at once, the job page follows.

The job worker is django-tasks-db's: in this process (tests.helpers.work_off_jobs) where the test
only needs the job done, and `manage.py db_worker` in a process of its own where the test kills it.
"""


import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context
from wagtail.models import ReferenceIndex

from columns.models import ArticlePage
from tenants import actions, backup_file, jobs
from tenants.actions.base import SITE_OPERATION_LOCK
from tenants.models import GovSite, JobKind, JobState, PendingMediaSwap, SiteBackup, SiteJob
from tests.factories import ArticleFactory, ImageFactory
from tests.helpers import job_page_once_run, raw_connection, run_manage, work_off_jobs
from tests.tenants.test_backups import TITLE, committed_admin, make_county, page_titles, scratch
from tests.tenants.test_restore_crash import changed_since_backup, image_served, killed, stopped_at

__all__ = ["committed_admin", "scratch"]  # the fixtures, shared with the backup tests


def test_the_console_queues_a_backup_and_its_page_follows_the_job_to_the_end(console_client, county):
    response = console_client.post(f"/sites/{county.site.pk}/backups/", {"op": "backup"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job = SiteJob.objects.get()
    assert (job.kind, job.state, job.site, job.requested_by.username) == (JobKind.BACKUP, JobState.QUEUED,
                                                                          county.site, "console-admin")

    page = console_client.get(response["Location"]).content.decode()
    assert "备份站点：锦江区" in page and "排队中" in page
    assert 'data-finished="false"' in page and "console/job.js" in page, "a queued job's page updates itself"
    site_page = console_client.get(f"/sites/{county.site.pk}/").content.decode()
    assert "备份站点排队中" in site_page and f"/jobs/{job.pk}/" in site_page

    work_off_jobs()

    page = console_client.get(response["Location"]).content.decode()
    assert "已完成" in page and "已完成备份并校验通过" in page
    assert 'data-finished="true"' in page and "console/job.js" not in page
    backup = SiteBackup.objects.get(site=county.site)
    assert backup.is_verified and SiteJob.objects.get().result == {"site": county.site.pk, "backup": backup.pk}
    assert f"/sites/{county.site.pk}/backups/" in page
    listing = console_client.get("/jobs/").content.decode()
    assert "备份站点：锦江区" in listing and "已完成" in listing
    backup.path.unlink(missing_ok=True)


def test_a_second_operation_on_a_busy_site_is_refused_when_asked_not_when_run(console_client, county):
    console_client.post(f"/sites/{county.site.pk}/backups/", {"op": "backup"})
    again = console_client.post(f"/sites/{county.site.pk}/backups/", {"op": "backup"}, follow=True)
    assert again.status_code == 200
    assert "站点“锦江区”已有“备份站点”在排队或进行中，请等它结束后再试" in again.content.decode()
    actions.suspend_site(county.site, acting_user=None)
    delete = console_client.post(f"/sites/{county.site.pk}/delete/", {"confirm_name": "锦江区"})
    assert delete.status_code == 400, "refused on the form (no backup yet), not queued"
    assert SiteJob.objects.count() == 1


def test_what_an_action_refuses_is_the_jobs_outcome_in_plain_words(console_client, county):
    job = jobs.start(JobKind.VERIFY_BACKUP, site=county.site, params={"backup": 999_999}, acting_user=None)
    work_off_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.outcome == "找不到这份备份（可能已被删除）"
    page = console_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "未完成" in page and "找不到这份备份" in page


def test_an_unexpected_error_is_recorded_without_its_text_and_the_worker_goes_on(console_client, county, monkeypatch):
    def broken(job, progress):
        progress("第一步")
        raise RuntimeError("connection string with a password in it")

    monkeypatch.setitem(jobs.RUNNERS, JobKind.BACKUP, broken)
    failing = jobs.start(JobKind.BACKUP, site=county.site, acting_user=None)
    other = jobs.start(JobKind.VERIFY_BACKUP, site=GovSite.objects.get(region_code="510100"),
                       params={"backup": 999_999}, acting_user=None)
    work_off_jobs()
    failing.refresh_from_db()
    assert failing.state == JobState.FAILED and failing.step == "第一步"
    assert failing.outcome == f"执行出错（RuntimeError），详情见服务器日志（后台操作 {failing.pk}）"
    page = console_client.get(f"/jobs/{failing.pk}/").content.decode()
    assert "执行出错" in page and "password" not in page
    task_result = DBTaskResult.objects.get(id=failing.task_id)
    assert task_result.status == "FAILED" and "connection string" in task_result.traceback, "the log keeps it"
    assert SiteJob.objects.get(pk=other.pk).finished, "the next job ran"


def test_a_job_whose_worker_died_is_shown_interrupted_and_frees_its_site(console_client, county):
    job = jobs.start(JobKind.BACKUP, site=county.site, acting_user=None)
    # What a worker that was killed leaves: its task claimed, the job running, no lock held.
    DBTaskResult.objects.get(id=job.task_id).claim("dead-worker")
    SiteJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, step="写入备份文件")

    page = console_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已中断" in page and "作业进程停止或服务器重启" in page and 'data-finished="true"' in page
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    again = jobs.start(JobKind.BACKUP, site=county.site, acting_user=None)
    assert again.state == JobState.QUEUED, "the site is free for the next operation"


def test_a_task_claimed_by_a_worker_that_died_before_starting_it_is_interrupted_after_a_grace(county):
    job = jobs.start(JobKind.BACKUP, site=county.site, acting_user=None)
    task_result = DBTaskResult.objects.get(id=job.task_id)
    task_result.claim("dead-worker")
    assert jobs.settle_interrupted() == 0, "a worker that just claimed it is about to start it"
    DBTaskResult.objects.filter(pk=task_result.pk).update(started_at=task_result.started_at - jobs.CLAIM_GRACE * 2)
    assert jobs.settle_interrupted() == 1
    assert SiteJob.objects.get(pk=job.pk).state == JobState.INTERRUPTED


def test_wagtails_own_tasks_still_run_at_once_in_the_editors_site(county):
    """Wagtail hands its reference-index and search-index updates to django-tasks: they must run at once,
    in the editor's site, never wait in the jobs queue for a worker outside every site's schema."""
    with schema_context(county.schema):
        image = ImageFactory(title="引用的图片")
        page = ArticleFactory(title="引用测试", slug="refs", feature_image=image)
        references = ReferenceIndex.get_references_to(image)
        assert [ref.object_id for ref in references] == [str(page.pk)], "the page's use of the image is indexed"
    assert not DBTaskResult.objects.exists(), "no Wagtail task went to the jobs queue"


def test_backing_up_the_whole_platform_goes_on_past_a_site_that_fails(committed_admin, scratch):
    site = make_county(scratch)
    console = committed_admin
    before = {s.pk: SiteBackup.objects.filter(site=s).count() for s in GovSite.objects.all()}
    with raw_connection() as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [SITE_OPERATION_LOCK, site.pk])  # someone restores it
        queued = console.post("/backups/", {}, follow=True)
        page = job_page_once_run(console, queued)
    try:
        job = SiteJob.objects.get(kind=JobKind.BACKUP_ALL)
        sites = GovSite.objects.count()
        assert (job.state, job.done, job.total) == (JobState.FAILED, sites, sites)
        assert f"已备份 {sites - 1} 个站点" in page
        assert "1 个站点备份失败：新都区（510114）：站点“新都区”正在进行备份" in page
        for other_site in GovSite.objects.exclude(pk=site.pk):
            assert SiteBackup.objects.filter(site=other_site).count() == before[other_site.pk] + 1, other_site
        assert not SiteBackup.objects.filter(site=site).exists()
    finally:
        for backup in SiteBackup.objects.exclude(site=site).exclude(site__isnull=True).filter(
                created_at__gte=SiteJob.objects.get(kind=JobKind.BACKUP_ALL).created_at):
            backup.path.unlink(missing_ok=True)
            backup.delete()


WORKER = ("db_worker", "--backend", "jobs", "--queue-name", "site-jobs", "--interval", "0.2", "--no-startup-delay")


def worker_killed_at(point, tmp_path):
    """`manage.py db_worker` as govsites-jobs.service runs it, stopped at `point` of the restore it runs."""
    return stopped_at(point, tmp_path, *WORKER)


@pytest.mark.slow
def test_a_worker_killed_mid_restore_leaves_the_site_as_it_was_and_the_restore_can_be_run_again(
    committed_admin, scratch, tmp_path
):
    site = make_county(scratch)
    backup = actions.backup_site(site, acting_user=None)
    changed_since_backup(site)
    console = committed_admin
    queued = console.post(f"/backups/{backup.pk}/restore/", {"keep_accounts": "on"})
    job_url = queued["Location"]

    worker = worker_killed_at("before_commit", tmp_path)
    running = console.get(job_url).content.decode()
    assert "进行中" in running and "载入备份并替换站点内容" in running, "the phase shows while the job runs"
    assert 'data-finished="false"' in running
    killed(worker)

    page = console.get(job_url).content.decode()
    assert "已中断" in page and "恢复要么没有生效" in page
    assert page_titles(site) == ["改过的标题"], "the site is as it was"
    assert not PendingMediaSwap.objects.exists()
    run_manage("finish_restores")  # what govsites-jobs.service runs before its worker starts
    assert not backup_file.leftover_staging(site.schema_name)
    assert page_titles(site) == ["改过的标题"]

    again = console.post(f"/backups/{backup.pk}/restore/", {"keep_accounts": "on"})
    run_manage("db_worker", "--backend", "jobs", "--queue-name", "site-jobs", "--batch", "--no-startup-delay")
    assert "已恢复到" in console.get(again["Location"]).content.decode()
    assert page_titles(site) == [TITLE] and image_served(site)


@pytest.mark.slow
def test_a_worker_killed_after_the_restore_committed_leaves_it_restored_once_its_files_are_moved_in(
    committed_admin, scratch, tmp_path
):
    site = make_county(scratch)
    backup = actions.backup_site(site, acting_user=None)
    changed_since_backup(site)
    console = committed_admin
    job_url = console.post(f"/backups/{backup.pk}/restore/", {"keep_accounts": "on"})["Location"]

    killed(worker_killed_at("after_commit", tmp_path))

    assert "已中断" in console.get(job_url).content.decode()
    assert page_titles(site) == [TITLE], "the restored schema committed"
    result = run_manage("finish_restores")
    assert "已完成 1 个中断的恢复" in result.stdout
    assert image_served(site), "and its files followed"
    assert not Client(HTTP_HOST=f"{site.region_code}.backup.localhost").get("/xwdt/meeting/").status_code >= 500
    with schema_context(site.schema_name):
        assert ArticlePage.objects.get(slug="meeting").title == TITLE
