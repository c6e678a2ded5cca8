"""A restore killed at any point leaves the site as before or as restored, its database and files alike.

The restore runs in a process of its own (manage.py restore_site), which stops itself at a chosen
point and is then killed with SIGKILL: before its transaction commits, or after the commit and
before the files are moved in. What a citizen then sees is checked, and what recovery
(finish_restores, as the job worker runs it on start) makes of it.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.images.models import Image

from columns.models import ArticlePage
from tenants import actions, backup_file, jobs
from tenants.actions.base import SCHEMA_RESTORE_LOCK
from tenants.models import AuditAction, AuditEvent, PendingMediaSwap
from tests.helpers import ROOT, run_manage, test_env
from tests.tenants.test_backups import TITLE, image_url, make_county, page_titles, png_bytes, schemas_like, scratch

__all__ = ["scratch"]  # the fixture, shared with the backup tests

pytestmark = pytest.mark.slow

# A restore in a process of its own that stops itself where the test wants it killed: `point` is
# "before_commit" (the restored schema is loaded, the transaction still open) or "after_commit"
# (committed, files not yet moved in). The command it runs is the rest of its arguments (a
# restore_site, or the job worker that runs one: tests/tenants/test_jobs.py).
STOPPING_CHILD = """
import sys, time
sys.path[1:1] = ["platform", "."]  # as manage.py does
import django
django.setup()
from pathlib import Path
from django.core.management import call_command
from tenants import backup_file, signals

marker, point, command = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]

def stop(*args, **kwargs):
    marker.write_text(point)
    time.sleep(600)

if point == "before_commit":
    signals.site_content_replaced.connect(stop, weak=False)
else:
    backup_file.StagedMedia.commit = stop
call_command(*command)
"""


def stopped_at(point, tmp_path, *command):
    """The child process running manage.py `command`, once it has stopped itself at `point`."""
    marker = tmp_path / "reached"
    child = subprocess.Popen(
        [sys.executable, "-c", STOPPING_CHILD, str(marker), point, *command],
        cwd=ROOT, env=test_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"{command[0]} never reached {point}:\n{child.stdout.read().decode()[-3000:]}")
        time.sleep(0.1)
    return child


def killed(child):
    """SIGKILL, then wait until PostgreSQL has ended the dead process's session (rolled back, locks freed)."""
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 30
    while jobs.running_job_ids() or schema_restores_running():
        assert time.monotonic() < deadline, "PostgreSQL kept the killed process's session for 30 s"
        time.sleep(0.05)


def schema_restores_running():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND granted",
                       [SCHEMA_RESTORE_LOCK])
        return cursor.fetchone()[0]


def restore_killed_at(point, backup, tmp_path):
    killed(stopped_at(point, tmp_path, "restore_site", str(backup.pk), "--no-safety-backup"))


def image_served(site):
    response = Client(HTTP_HOST=f"{site.region_code}.backup.localhost").get(image_url(site))
    return response.status_code == 200 and b"".join(response.streaming_content) == png_bytes((200, 30, 30))


def changed_since_backup(site):
    """After the backup: the article is renamed and the image replaced by another one."""
    with schema_context(site.schema_name):
        ArticlePage.objects.filter(slug="meeting").update(title="改过的标题")
        Image.objects.get(title="会场").delete()
    backup_file.media_dir("public", site.schema_name).mkdir(parents=True, exist_ok=True)
    (backup_file.media_dir("public", site.schema_name) / "later.txt").write_text("made after the backup")


def test_killed_before_its_commit_the_site_is_as_it_was(scratch, tmp_path):
    site = make_county(scratch)
    backup = actions.backup_site(site, acting_user=None)
    changed_since_backup(site)

    restore_killed_at("before_commit", backup, tmp_path)

    assert page_titles(site) == ["改过的标题"]
    assert (backup_file.media_dir("public", site.schema_name) / "later.txt").exists()
    assert schemas_like(site.schema_name + "%") == [site.schema_name]
    assert not PendingMediaSwap.objects.exists()
    assert backup_file.leftover_staging(site.schema_name), "the dead restore's staging folders are on disk"

    run_manage("finish_restores")

    assert not backup_file.leftover_staging(site.schema_name)
    assert (backup_file.media_dir("public", site.schema_name) / "later.txt").exists()
    assert page_titles(site) == ["改过的标题"]
    # And the site can be restored after all.
    actions.restore_backup(backup, acting_user=None, safety_backup=False)
    assert page_titles(site) == [TITLE] and image_served(site)


def test_killed_after_its_commit_the_files_follow_the_database(scratch, tmp_path):
    site = make_county(scratch)
    backup = actions.backup_site(site, acting_user=None)
    changed_since_backup(site)

    restore_killed_at("after_commit", backup, tmp_path)

    assert page_titles(site) == [TITLE], "the restored schema committed"
    assert not image_served(site), "its files are not in place yet"
    assert PendingMediaSwap.objects.filter(schema_name=site.schema_name).count() == 1

    run_manage("finish_restores")

    assert image_served(site)
    assert not (backup_file.media_dir("public", site.schema_name) / "later.txt").exists()
    assert not PendingMediaSwap.objects.exists()
    assert not backup_file.leftover_staging(site.schema_name)
    assert AuditEvent.objects.filter(action=AuditAction.FINISH_RESTORE, site=site).count() == 1
    # Nothing is left to do: a second run changes nothing.
    assert run_manage("finish_restores", "-v", "2").stdout.strip() == "已完成 0 个中断的恢复，清除 0 个临时文件夹"


def test_a_restore_empties_a_file_folder_the_backup_had_nothing_in(scratch):
    """A mailbox attachment received after the backup has no row once restored: its file goes too."""
    site = make_county(scratch)
    backup = actions.backup_site(site, acting_user=None)
    private = backup_file.media_dir("private", site.schema_name) / "mailbox"
    private.mkdir(parents=True)
    (private / "later.pdf").write_bytes(b"%PDF-1.7 a citizen's later attachment")

    actions.restore_backup(backup, acting_user=None, safety_backup=False)

    assert not (private / "later.pdf").exists()
