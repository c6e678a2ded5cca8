"""One site's backup file: its schema and its media, and loading it back.

A backup is one tar file (PAX, uncompressed; rows are gzipped per table, media are
stored as they are, images being compressed already):

    tables/<table>.gz      the table's rows in COPY text format
    media/public/<path>    the site's files (MEDIA_ROOT/<schema>/)
    media/private/<path>   mailbox attachments (PRIVATE_MEDIA_ROOT/<schema>/)
    manifest.json          last: the site's registry fields, the schema's DDL and sequence
                           positions, its applied migrations, and per member its size and
                           SHA-256, per table its row count

Consistency: every table is read in one REPEATABLE READ, READ ONLY transaction on a
connection of its own, so the rows are one snapshot however long the copy takes; the
media are copied while that snapshot is open. Nothing is locked against editors.

Loading recreates the schema under any name from the manifest's DDL (so a backup can
become a new site), streams each table back with COPY while hashing it, then checks
every row count; media are unpacked into a staging folder, hashed as they are written,
and moved into place only after the caller's transaction has committed (a PendingMediaSwap
row written in that transaction says what is left to move if the process dies in between;
every staged root replaces the site's folder, empty when the backup has no file there). A checksum or
count that does not match raises DamagedBackup, which rolls the caller's transaction back.

These functions change no registry rows and write no audit: the actions in
tenants.actions.backups do that around them.
"""

import gzip
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from psycopg import IsolationLevel, sql

from .db.side import side_connection
from .models import PendingMediaSwap
from .provisioning import ddl, template

FORMAT = "govsites-site-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20
MEDIA_ROOTS = {"public": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    """A backup cannot be made or used; the message says why, in Chinese, for the console."""


class DamagedBackup(BackupError):
    pass


class IncompatibleBackup(BackupError):
    pass


def backup_root():
    return Path(settings.SITE_BACKUP_ROOT)


def media_dir(root, schema_name):
    return Path(getattr(settings, MEDIA_ROOTS[root])) / template.checked_schema(schema_name)


def remove_media(schema_name):
    """A deleted site's files, public and private."""
    for root in MEDIA_ROOTS:
        shutil.rmtree(media_dir(root, schema_name), ignore_errors=True)


@dataclass
class BackupFile:
    path: Path
    size: int
    sha256: str
    manifest: dict


class _HashingWriter:
    """The tar file's output, hashed as it is written (no second read of a large file)."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.digest.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def tell(self):
        return self.size


class _HashingReader:
    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _sequence_positions(cursor, names):
    positions = {}
    for name in names:
        cursor.execute(sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(name)))
        last_value, is_called = cursor.fetchone()
        positions[name] = [last_value, is_called]
    return positions


def create(site, directory=None):
    """Write a backup of `site` into `directory` (default: backup_root()/<schema>/) and return it.

    The file appears under its final name only when complete (written as .partial, synced,
    renamed), so a crash leaves no file that looks like a backup.
    """
    schema = template.checked_schema(site.schema_name)
    directory = Path(directory or backup_root() / schema)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = directory / f"{schema}-{stamp}.tar"
    partial = final.with_suffix(".tar.partial")
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": datetime.now(UTC).isoformat(),
        "site": {
            "name": site.name, "level": site.level, "region_code": site.region_code, "site_code": site.site_code,
            "schema_name": schema, "parent_region_code": site.parent.region_code if site.parent_id else None,
            "domains": [d.domain for d in site.domains.order_by("-is_primary", "domain")],
        },
        "tables": [], "media": [],
    }
    try:
        with open(partial, "wb") as raw:
            out = _HashingWriter(raw)
            with side_connection() as conn:
                conn.isolation_level = IsolationLevel.REPEATABLE_READ
                conn.read_only = True
                with conn.transaction(), conn.cursor() as cursor, tarfile.open(
                    fileobj=out, mode="w", format=tarfile.PAX_FORMAT
                ) as tar:
                    capture = ddl.capture_schema(cursor, schema)  # sets search_path to the schema
                    manifest["ddl"] = {
                        "statements": capture.statements, "post_data": capture.post_data,
                        "sequences": _sequence_positions(cursor, capture.sequences),
                    }
                    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
                    manifest["migrations"] = [f"{app}.{name}" for app, name in cursor.fetchall()]
                    for table, columns in capture.tables:
                        manifest["tables"].append(_add_table(tar, cursor, table, columns))
                    for root in MEDIA_ROOTS:
                        manifest["media"].extend(_add_media(tar, root, media_dir(root, schema)))
                    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(body)
                    info.mtime = int(datetime.now(UTC).timestamp())
                    tar.addfile(info, _BytesReader(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupFile(path=final, size=out.size, sha256=out.digest.hexdigest(), manifest=manifest)


class _BytesReader:
    def __init__(self, data):
        self.data = memoryview(data)
        self.pos = 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.pos + size
        chunk = self.data[self.pos:end]
        self.pos += len(chunk)
        return bytes(chunk)


def _add_table(tar, cursor, table, columns):
    """COPY one table into a gzipped temporary file, then into the tar; count its rows on the way."""
    rows = 0
    with tempfile.TemporaryFile() as spool:
        with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=3, mtime=0) as gz:
            copy_sql = sql.SQL("COPY {} ({}) TO STDOUT").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
            with cursor.copy(copy_sql) as copy:
                for data in copy:
                    # COPY text format escapes newlines inside values: one line is one row.
                    rows += bytes(data).count(b"\n")
                    gz.write(data)
        size = spool.tell()
        spool.seek(0)
        reader = _HashingReader(spool)
        member = f"tables/{table}.gz"
        info = tarfile.TarInfo(member)
        info.size = size
        tar.addfile(info, reader)
    return {"name": table, "columns": columns, "rows": rows, "member": member, "bytes": size,
            "sha256": reader.digest.hexdigest()}


def _add_media(tar, root, base):
    entries = []
    if not base.is_dir():
        return entries
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(base).as_posix()
            member = f"media/{root}/{relative}"
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                info = tarfile.TarInfo(member)
                info.size = size
                info.mtime = int(path.stat().st_mtime)
                reader = _HashingReader(handle)
                tar.addfile(info, reader)
            entries.append({"root": root, "path": relative, "member": member, "size": size,
                            "sha256": reader.digest.hexdigest()})
    return entries


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _open(path):
    try:
        return tarfile.open(path, mode="r:")
    except FileNotFoundError as exc:
        raise DamagedBackup(f"备份文件 {Path(path).name} 不存在（可能已被移走或删除）") from exc
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DamagedBackup(f"备份文件 {Path(path).name} 已损坏，无法读取（{exc}）") from exc


def read_manifest(tar, name="备份"):
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except KeyError as exc:
        raise DamagedBackup(f"{name}缺少清单（manifest.json）：文件不完整或不是站点备份") from exc
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise DamagedBackup(f"{name}的清单已损坏（{exc}）") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DamagedBackup(f"{name}不是本平台的站点备份")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IncompatibleBackup(
            f"{name}的格式版本为 {manifest.get('format_version')}，本平台只能读取版本 {FORMAT_VERSION}"
        )
    return manifest


def manifest_of(path):
    """The manifest of the backup at `path`, read without checking the rest of the file (verify does that)."""
    with _open(path) as tar:
        return read_manifest(tar)


def check_compatible(manifest):
    """Refuse a backup whose schema was made by other migrations than this platform's code has."""
    have = set(manifest.get("migrations") or [])
    # A site schema records every app's migrations (django-tenants runs them all there,
    # creating tables only for the site apps): it must match the code's full set.
    need = {f"{app}.{name}" for app, name in template.disk_migrations()}
    if have == need:
        return
    newer = sorted(have - need)
    older = sorted(need - have)
    parts = []
    if older:
        parts.append(f"缺少本版本的 {len(older)} 个数据库迁移（如 {older[0]}），备份来自较早的平台版本")
    if newer:
        parts.append(f"含有本版本没有的 {len(newer)} 个数据库迁移（如 {newer[0]}），备份来自较新的平台版本")
    raise IncompatibleBackup(
        "该备份与当前平台版本不一致：" + "；".join(parts) + "。请在生成备份的同一平台版本上恢复。"
    )


def _member_digest(tar, entry, label):
    try:
        handle = tar.extractfile(tar.getmember(entry["member"]))
    except KeyError as exc:
        raise DamagedBackup(f"备份不完整：缺少{label}") from exc
    digest = hashlib.sha256()
    size = 0
    try:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DamagedBackup(f"备份已损坏：{label}无法读取（{exc}）") from exc
    return digest.hexdigest(), size


def verify(path, *, sha256=None, size=None):
    """Read the whole backup and check it; return its manifest or raise DamagedBackup / IncompatibleBackup.

    `sha256` and `size` are what was recorded when it was made: a file that differs at all
    (a flipped byte in a photo the manifest would not notice as fast) is refused at once.
    """
    path = Path(path)
    if size is not None and path.exists() and path.stat().st_size != size:
        actual = path.stat().st_size
        raise DamagedBackup(f"备份文件 {path.name} 的大小与记录不符（应为 {size} 字节，实际 {actual} 字节）")
    if sha256 is not None and path.exists() and file_digest(path) != sha256:
        raise DamagedBackup(f"备份文件 {path.name} 的校验值与记录不符：文件已被改动或损坏")
    with _open(path) as tar:
        manifest = read_manifest(tar)
        for entry in manifest["tables"]:
            label = f"数据表 {entry['name']}"
            if _member_digest(tar, entry, label) != (entry["sha256"], entry["bytes"]):
                raise DamagedBackup(f"备份已损坏：{label}的校验值不符")
        for entry in manifest["media"]:
            label = f"文件 {entry['path']}"
            if _member_digest(tar, entry, label) != (entry["sha256"], entry["size"]):
                raise DamagedBackup(f"备份已损坏：{label}的校验值不符")
    return manifest


STAGING_PREFIX = ".restoring-"


@dataclass
class StagedMedia:
    """Media unpacked beside their final folders, moved in by `commit()` or removed by `discard()`.

    `journal()`, inside the restore's transaction, records the folders (PendingMediaSwap): if the
    process dies after that transaction commits and before `commit()` has moved them all, the
    row says what is left to do, and `commit()` may run again from it (each step can be repeated).
    """

    target_schema: str
    staged: dict = field(default_factory=dict)  # root -> staging folder
    journal_id: int | None = None

    @classmethod
    def from_journal(cls, row):
        return cls(row.schema_name, {root: Path(path) for root, path in row.staged.items()}, row.pk)

    def stage(self, root):
        """The staging folder of `root` (created on first use)."""
        if root not in self.staged:
            final = media_dir(root, self.target_schema)
            final.parent.mkdir(parents=True, exist_ok=True)
            prefix = f"{STAGING_PREFIX}{self.target_schema}-"
            self.staged[root] = Path(tempfile.mkdtemp(prefix=prefix, dir=final.parent))
        return self.staged[root]

    def journal(self):
        if not connection.in_atomic_block:
            raise RuntimeError("the media journal is written in the restore's transaction")
        row = PendingMediaSwap.objects.create(
            schema_name=self.target_schema, staged={root: str(path) for root, path in self.staged.items()})
        self.journal_id = row.pk

    def commit(self):
        """Swap each staged folder in for the site's folder; the folder it replaces is removed."""
        for root, staging in self.staged.items():
            final = media_dir(root, self.target_schema)
            retired = staging.with_name(staging.name + ".replaced")
            if staging.exists():  # not yet moved in
                if final.exists():
                    os.replace(final, retired)
                os.replace(staging, final)
            shutil.rmtree(retired, ignore_errors=True)
        if self.journal_id is not None:
            PendingMediaSwap.objects.filter(pk=self.journal_id).delete()
        self.staged, self.journal_id = {}, None

    def discard(self):
        for staging in self.staged.values():
            shutil.rmtree(staging, ignore_errors=True)
        self.staged = {}


def leftover_staging(schema_name=None):
    """Staging folders on disk (of one schema, or all): what a restore that died before its commit left."""
    found = []
    for root in MEDIA_ROOTS:
        base = Path(getattr(settings, MEDIA_ROOTS[root]))
        pattern = f"{STAGING_PREFIX}{schema_name}-*" if schema_name else f"{STAGING_PREFIX}*"
        found += [path for path in base.glob(pattern) if path.is_dir() and not path.name.endswith(".replaced")]
    return found


def _safe_relative(path):
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or any(p in ("..", "") for p in parts):
        raise DamagedBackup(f"备份中的文件路径不合法：{path[:100]}")
    return Path(*parts)


def load(path, manifest, target_schema):
    """Create `target_schema` from the backup inside the caller's transaction; return the StagedMedia.

    The schema must not exist yet. Every table's checksum and row count and every media
    file's checksum are checked; any difference raises DamagedBackup (the caller's
    transaction then rolls the schema back, and the staged media are removed here).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("backups.load must run inside the caller's transaction")
    target_schema = template.checked_schema(target_schema)
    check_compatible(manifest)
    staged = StagedMedia(target_schema)
    try:
        with _open(path) as tar, template.raw_search_path(target_schema) as cursor:
            cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(target_schema)))
            cursor.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(target_schema)))
            for statement in manifest["ddl"]["statements"]:
                cursor.execute(statement)
            for entry in manifest["tables"]:
                _load_table(tar, cursor, entry)
            for statement in manifest["ddl"]["post_data"]:
                cursor.execute(statement)
            for name, (last_value, is_called) in manifest["ddl"]["sequences"].items():
                quoted = '"' + name.replace('"', '""') + '"'
                cursor.execute("SELECT setval(%s::regclass, %s, %s)", [quoted, last_value, is_called])
            for entry in manifest["tables"]:
                cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(entry["name"])))
                found = cursor.fetchone()[0]
                if found != entry["rows"]:
                    raise DamagedBackup(
                        f"恢复校验失败：数据表 {entry['name']} 应有 {entry['rows']} 行，恢复后为 {found} 行"
                    )
            for entry in manifest["media"]:
                _load_media(tar, entry, staged)
        for root in MEDIA_ROOTS:  # a root the backup has no file in is emptied, not left as it is
            staged.stage(root)
        staged.journal()
    except BaseException:
        staged.discard()
        raise
    return staged


def _load_table(tar, cursor, entry):
    label = f"数据表 {entry['name']}"
    try:
        member = tar.getmember(entry["member"])
    except KeyError as exc:
        raise DamagedBackup(f"备份不完整：缺少{label}") from exc
    reader = _HashingReader(tar.extractfile(member))
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(entry["name"]), sql.SQL(", ").join(map(sql.Identifier, entry["columns"]))
    )
    try:
        with gzip.GzipFile(fileobj=reader, mode="rb") as gz, cursor.copy(copy_sql) as copy:
            while chunk := gz.read(CHUNK):
                copy.write(chunk)
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise DamagedBackup(f"备份已损坏：{label}无法读取（{exc}）") from exc
    if reader.digest.hexdigest() != entry["sha256"]:
        raise DamagedBackup(f"备份已损坏：{label}的校验值不符")


def _load_media(tar, entry, staged):
    label = f"文件 {entry['path']}"
    root = entry["root"]
    if root not in MEDIA_ROOTS:
        raise DamagedBackup(f"备份中的{label}属于未知的存储位置 {root[:20]}")
    destination = staged.stage(root) / _safe_relative(entry["path"])
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        source = tar.extractfile(tar.getmember(entry["member"]))
    except KeyError as exc:
        raise DamagedBackup(f"备份不完整：缺少{label}") from exc
    digest = hashlib.sha256()
    try:
        with open(destination, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except (EOFError, tarfile.TarError) as exc:
        raise DamagedBackup(f"备份已损坏：{label}无法读取（{exc}）") from exc
    if digest.hexdigest() != entry["sha256"]:
        raise DamagedBackup(f"备份已损坏：{label}的校验值不符")


def media_digests(schema_name):
    """{(root, relative path): sha256} of a site's files as they are on disk now (for checks after a restore)."""
    found = {}
    for root in MEDIA_ROOTS:
        base = media_dir(root, schema_name)
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found[(root, path.relative_to(base).as_posix())] = file_digest(path)
    return found
