"""The public schema's nightly backup: the registry, the audit trail, the library, the statistics.

Each site's schema and files have their own backups (tenants.backup_file); what they share lives in
the public schema, which `backup_platform` dumps with PostgreSQL's own pg_dump (custom format, one
consistent snapshot) into PLATFORM_BACKUP_ROOT, keeps the newest PLATFORM_BACKUP_KEEP, and hands to
PLATFORM_BACKUP_COPY, the operator's command that puts a copy off the machine (rsync, scp, a
mounted share). The file appears under its final name only once complete; each dump is audited.
Restore: `pg_restore --schema=public` into the database (deploy/README.md, "The whole platform").
"""

import hashlib
import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import audit
from .models import AuditAction

DUMP_TIMEOUT = 3600
COPY_TIMEOUT = 3600


class PlatformBackupError(Exception):
    """The dump or its copy failed; the message says which, in Chinese."""


@dataclass
class PlatformBackup:
    path: Path
    size: int
    sha256: str
    copied: bool


def _pg_env():
    db = connection.settings_dict
    env = dict(os.environ)
    env.update({k: str(v) for k, v in {
        "PGHOST": db.get("HOST"), "PGPORT": db.get("PORT"), "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"), "PGDATABASE": db.get("NAME"),
    }.items() if v})
    return env


def dump(*, source=""):
    """Dump the public schema, keep the newest backups, copy the new one off the machine; returns it."""
    root = Path(settings.PLATFORM_BACKUP_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"public-{timezone.now():%Y%m%d-%H%M%S}.dump"
    partial = final.with_suffix(".dump.partial")
    try:
        subprocess.run(
            ["pg_dump", "--format=custom", "--schema=public", "--no-owner", f"--file={partial}"],
            env=_pg_env(), check=True, capture_output=True, timeout=DUMP_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        partial.unlink(missing_ok=True)
        detail = getattr(exc, "stderr", b"") or b""
        raise PlatformBackupError(f"pg_dump 失败：{detail.decode(errors='replace').strip()[:300] or exc}") from exc
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    partial.rename(final)
    backup = PlatformBackup(final, final.stat().st_size, digest, copied=False)
    _keep_newest(root)
    problem = ""
    if settings.PLATFORM_BACKUP_COPY:
        try:
            _copy_off(final)
            backup.copied = True
        except PlatformBackupError as exc:
            problem = str(exc)
    audit.record(AuditAction.BACKUP_PLATFORM, acting_user=None, source=source, file=final.name, size=backup.size,
                 sha256=digest, copied=backup.copied, **({"problem": problem} if problem else {}))
    if problem:
        raise PlatformBackupError(f"已在本机写入 {final.name}，但{problem}")
    return backup


def _copy_off(path):
    command = [part.replace("{file}", str(path)) for part in shlex.split(settings.PLATFORM_BACKUP_COPY)]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=COPY_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = (getattr(exc, "stderr", b"") or b"").decode(errors="replace").strip()[:300]
        raise PlatformBackupError(f"复制到异地失败（{command[0]}）：{detail or exc}") from exc


def _keep_newest(root):
    dumps = sorted(root.glob("public-*.dump"), reverse=True)
    for old in dumps[settings.PLATFORM_BACKUP_KEEP:]:
        old.unlink(missing_ok=True)
