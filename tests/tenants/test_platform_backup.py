"""The public schema's backup (tenants/platform_backup.py): dumped by the real pg_dump, copied off by the
operator's command, and restored by pg_restore into a database of its own, where the registry and the
audit trail are as they were."""

import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from tenants.models import AuditAction, AuditEvent, GovSite
from tests.helpers import run_manage


@pytest.fixture
def files(committed_db, settings):
    """The dumps' folder, empty; the dumps' audit rows stay (the trail cannot be deleted from)."""
    root = settings.PLATFORM_BACKUP_ROOT
    shutil.rmtree(root, ignore_errors=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def scratch_database():
    name = f"restore_{uuid.uuid4().hex[:8]}"
    params = {k: v for k, v in {"host": connection.settings_dict["HOST"], "port": connection.settings_dict["PORT"],
                                "user": connection.settings_dict["USER"]}.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name, params
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_the_public_schema_is_dumped_copied_off_and_restores_as_it_was(files, scratch_database, tmp_path):
    offsite = tmp_path / "backup-host"
    offsite.mkdir()
    result = run_manage("backup_platform", env_extra={"PLATFORM_BACKUP_COPY": f"cp {{file}} {offsite}/"})
    assert "已备份平台公共数据" in result.stdout and "已复制到异地" in result.stdout
    [dump] = list(files.glob("public-*.dump"))
    assert (offsite / dump.name).read_bytes() == dump.read_bytes()
    event = AuditEvent.objects.filter(action=AuditAction.BACKUP_PLATFORM).latest("id")
    assert event.detail["copied"] is True and event.detail["file"] == dump.name

    name, params = scratch_database
    subprocess.run(["pg_restore", "--no-owner", "--clean", "--if-exists", f"--dbname={name}", str(offsite / dump.name)],
                   check=True,
                   env={"PGHOST": params.get("host", ""), "PGPORT": str(params.get("port", "")),
                        "PGUSER": params.get("user", ""), "PATH": "/usr/bin:/bin"})
    with psycopg.connect(dbname=name, **params) as restored:
        sites = restored.execute("SELECT region_code FROM public.tenants_govsite ORDER BY region_code").fetchall()
        trail = restored.execute("SELECT count(*) FROM public.tenants_auditevent").fetchone()[0]
        guarded = restored.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'tenants_auditevent_guard'").fetchone()[0]
    assert [code for (code,) in sites] == sorted(GovSite.objects.values_list("region_code", flat=True))
    assert trail == AuditEvent.objects.filter(pk__lt=event.pk).count(), "every row written before the dump"
    assert guarded == 1, "the restored trail is guarded as the live one"


def test_a_copy_that_fails_is_reported_and_the_local_dump_kept(files):
    result = run_manage("backup_platform", check=False, env_extra={"PLATFORM_BACKUP_COPY": "false {file}"})
    assert result.returncode == 1 and "复制到异地失败" in result.stderr
    assert len(list(files.glob("public-*.dump"))) == 1
    event = AuditEvent.objects.filter(action=AuditAction.BACKUP_PLATFORM).latest("id")
    assert event.detail["copied"] is False and "复制到异地失败" in event.detail["problem"]
