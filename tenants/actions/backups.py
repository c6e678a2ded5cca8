"""Backing a site up, checking a backup, restoring one over its site or as a new site, deleting one.

Each action takes the acting user, writes an audit row and refuses to run outside the public
schema; the file format and the loading are in tenants.backup_file. Long operations on one site
(backup, restore, delete) hold the site's operation lock (actions.base.site_operation), so a
second admin acting on the same site at the same time is told so at once.

Restoring never touches another site: it creates or replaces exactly one schema and one
site's media folders, and the replaced schema is only dropped in the same transaction
that makes the restored one live. What other apps derived from the site's content (search,
library, reports, syndication) they rebuild in that transaction (site_content_replaced).
"""

import logging
import secrets
import shutil
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Site

from .. import audit, backup_file
from ..models import AuditAction, Domain, GovSite, PendingMediaSwap, SiteBackup, SiteStatus
from ..provisioning import template
from ..routing import routes_changed, site_urls
from ..signals import site_content_replaced
from .base import (
    SCHEMA_RESTORE_LOCK,
    SiteActionError,
    lock_site,
    no_progress,
    release_advisory_lock,
    require_public_schema,
    routing_changed,
    schema_key,
    schema_restore,
    site_operation,
    try_advisory_lock,
)
from .domains import checked_new_hosts
from .sites import schema_name_for, validate_new_site

logger = logging.getLogger(__name__)


def backup_site(site, *, acting_user, source="", trigger=SiteBackup.Trigger.MANUAL, progress=no_progress):
    """Write a backup of the site (schema and media), read it back in full, and record it.

    Editors keep working meanwhile: the rows are one snapshot, nothing is locked. A backup
    that does not read back intact is recorded with its problem and refused.
    """
    require_public_schema()
    with site_operation(site, "备份"):
        progress("写入备份文件（数据库快照和全部图片、附件）")
        try:
            made = backup_file.create(site)
        except backup_file.BackupError as exc:
            raise SiteActionError(f"备份失败：{exc}") from exc
        relative = made.path.relative_to(backup_file.backup_root()).as_posix()
        problem = ""
        progress("读回校验备份文件")
        try:
            backup_file.verify(made.path, sha256=made.sha256, size=made.size)
        except backup_file.BackupError as exc:
            problem = str(exc)[:300]
        with transaction.atomic():
            backup = SiteBackup.objects.create(
                site=site, site_name=site.name, region_code=site.region_code, schema_name=site.schema_name,
                file_name=relative, size=made.size, sha256=made.sha256,
                table_count=len(made.manifest["tables"]),
                row_count=sum(t["rows"] for t in made.manifest["tables"]),
                media_count=len(made.manifest["media"]), trigger=trigger,
                created_by=audit.actor_label(acting_user, source),
                verified_at=None if problem else timezone.now(), problem=problem,
            )
            audit.record(
                AuditAction.BACKUP_SITE, acting_user=acting_user, site=site, source=source, file=relative,
                size=made.size, sha256=made.sha256, trigger=trigger, verified=not problem,
            )
    if problem:
        raise SiteActionError(f"备份已写入但读回校验失败（{problem}），请检查备份磁盘")
    return backup


def backup_sites(sites, *, acting_user, source="", trigger=SiteBackup.Trigger.MANUAL, progress=no_progress):
    """Back each of `sites` up in turn (backup_site); one site's failure is noted and the others go on.

    Returns (backups made, [(site, why it failed)]).
    """
    backups, failures = [], []
    for index, site in enumerate(sites):
        progress(f"正在备份：{site}", done=index, total=len(sites))
        try:
            backups.append(backup_site(site, acting_user=acting_user, source=source, trigger=trigger))
        except ValidationError as exc:
            failures.append((site, "；".join(exc.messages)))
        except Exception as exc:  # one site's fault (its schema, its files) must not stop the others
            logger.exception("backing up %s failed", site)
            failures.append((site, f"内部错误（{type(exc).__name__}），详情见服务器日志"))
    progress("全部站点已处理", done=len(sites), total=len(sites))
    return backups, failures


def verify_backup(backup, *, acting_user, source="", progress=no_progress):
    """Read a backup back in full now; record the result on it. Returns the manifest or raises."""
    require_public_schema()
    progress("读回校验备份文件")
    try:
        manifest, problem = backup_file.verify(backup.path, sha256=backup.sha256, size=backup.size), ""
    except backup_file.BackupError as exc:
        manifest, problem = None, str(exc)
    with transaction.atomic():
        SiteBackup.objects.filter(pk=backup.pk).update(
            verified_at=None if problem else timezone.now(), problem=problem[:300])
        audit.record(AuditAction.VERIFY_BACKUP, acting_user=acting_user, site=backup.site, source=source,
                     file=backup.file_name, ok=not problem, **({"problem": problem} if problem else {}))
    if problem:
        raise SiteActionError(problem)
    return manifest


def _checked_manifest(backup):
    """The backup's manifest once the whole file has been read and found intact and compatible."""
    try:
        manifest = backup_file.verify(backup.path, sha256=backup.sha256, size=backup.size)
        backup_file.check_compatible(manifest)
    except backup_file.IncompatibleBackup as exc:
        raise SiteActionError(f"不能恢复：{exc}") from exc
    except backup_file.BackupError as exc:
        SiteBackup.objects.filter(pk=backup.pk).update(verified_at=None, problem=str(exc)[:300])
        raise SiteActionError(f"不能恢复：{exc}。站点未做任何改动。") from exc
    return manifest


def _after_load(site, primary_host, accounts=None):
    """In the restored schema: Wagtail's Site answers to the site's current primary host, nobody is signed
    in (sessions of the backup's time would bring back whoever was then), the accounts are as they are now
    when `accounts` (from _accounts_now) is given, and the apps rebuild what they derived from the content
    (site_content_replaced). Returns what was done to the accounts, for the audit."""
    with schema_context(site.schema_name), site_urls():
        Site.objects.update(hostname=primary_host)
        Session.objects.all().delete()
        kept = _keep_accounts(accounts) if accounts is not None else {}
        site_content_replaced.send(sender=GovSite, site=site)
    return kept


def _accounts_now(schema):
    """{username: (is_active, password hash)} of the site's accounts as they are before a restore."""
    with schema_context(schema):
        return {name: (active, password) for name, active, password
                in get_user_model().objects.values_list("username", "is_active", "password")}


def _keep_accounts(accounts):
    """In the restored schema: what was decided about accounts since the backup stays decided.

    An account disabled since stays disabled, a password reset (or changed) since stays the new one,
    and an account that no longer existed comes back disabled: a restore brings back content, not
    the access of the backup's time. Accounts created since are not in the backup; they are counted.
    """
    User = get_user_model()
    restored = {user.username: user for user in User.objects.all()}
    changed, disabled = 0, 0
    for name, user in restored.items():
        if name not in accounts:
            if user.is_active:
                user.is_active = False
                user.save(update_fields=["is_active"])
                disabled += 1
            continue
        active, password = accounts[name]
        if (user.is_active, user.password) != (active, password):
            user.is_active, user.password = active, password
            user.save(update_fields=["is_active", "password"])
            changed += 1
    return {"accounts_kept": changed, "accounts_gone_disabled": disabled,
            "accounts_not_in_backup": sorted(set(accounts) - set(restored))}


def restore_backup(backup, *, acting_user, source="", safety_backup=True, keep_accounts=True, progress=no_progress):
    """Replace the site's schema and media with the backup's, after checking the whole file.

    With `safety_backup` the site's current state is backed up first, so this restore can
    itself be undone. With `keep_accounts` the accounts keep the state they have now (disabled,
    passwords reset: see _keep_accounts); without it they are the backup's. The replaced schema
    is dropped in the transaction that installs the restored one; the media folders are swapped
    after it commits.
    """
    require_public_schema()
    site = backup.site
    if site is None:
        raise SiteActionError("该备份所属的站点已删除，请选择“恢复为新站点”")
    if backup.schema_name != site.schema_name:
        raise SiteActionError("该备份不属于这个站点的当前数据库模式，请选择“恢复为新站点”")
    progress("读取并校验备份文件")
    manifest = _checked_manifest(backup)
    if safety_backup:
        backup_site(site, acting_user=acting_user, source=source, trigger=SiteBackup.Trigger.BEFORE_RESTORE,
                    progress=lambda step, **counts: progress(f"恢复前先备份当前状态：{step}"))
    schema = template.checked_schema(site.schema_name)
    replaced = template.checked_schema(f"{schema[:40]}_replaced_{secrets.token_hex(4)}")
    progress("载入备份并替换站点内容（在一个事务中完成，之前站点保持原样）")
    with site_operation(site, "恢复"), schema_restore(schema), _staged_media() as staged_media:
        _finish(schema)  # what an earlier restore of this site left undone
        try:
            with transaction.atomic():
                site = lock_site(site)
                accounts = _accounts_now(schema) if keep_accounts else None
                with connection.cursor() as cursor:
                    cursor.execute(f'ALTER SCHEMA "{schema}" RENAME TO "{replaced}"')
                staged = staged_media(_load(backup, manifest, schema))
                kept = _after_load(site, site.primary_domain().domain, accounts)
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA "{replaced}" CASCADE')
                audit.record(
                    AuditAction.RESTORE_SITE, acting_user=acting_user, site=site, source=source, file=backup.file_name,
                    backup_created_at=backup.created_at.isoformat(), rows=backup.row_count, media=backup.media_count,
                    keep_accounts=keep_accounts, **kept,
                )
                routing_changed(site)
                transaction.on_commit(staged.commit)
        finally:
            connection.set_schema_to_public()
    return site


def finish_interrupted_restores(*, acting_user=None, source="recovery"):
    """Bring every site's files in line with its database after a restore that died on the way.

    A restore that died before its transaction committed left the site as it was, and staging
    folders beside its media: they are removed. One that died after the commit left its
    PendingMediaSwap: its staged folders are moved in now. A schema whose restore is still running
    is left alone. Returns (schemas finished, staging folders removed); each finished one is audited.
    """
    require_public_schema()
    finished, removed = 0, 0
    schemas = set(PendingMediaSwap.objects.values_list("schema_name", flat=True))
    schemas |= {_schema_of(path) for path in backup_file.leftover_staging()}
    for schema in sorted(schemas):
        key = schema_key(schema)
        if not try_advisory_lock(SCHEMA_RESTORE_LOCK, key):
            continue
        try:
            done, gone = _finish(schema)
        finally:
            release_advisory_lock(SCHEMA_RESTORE_LOCK, key)
        removed += gone
        if done:
            finished += 1
            audit.record(AuditAction.FINISH_RESTORE, acting_user=acting_user, source=source,
                         site=GovSite.objects.filter(schema_name=schema).first(), schema=schema)
    return finished, removed


def _schema_of(staging):
    return staging.name.removeprefix(backup_file.STAGING_PREFIX).rsplit("-", 1)[0]


def _finish(schema):
    """Under the schema's restore lock: move in what a committed restore staged, remove what a failed one did."""
    rows = list(PendingMediaSwap.objects.filter(schema_name=schema))
    for row in rows:
        backup_file.StagedMedia.from_journal(row).commit()
    leftovers = backup_file.leftover_staging(schema)
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    return len(rows), len(leftovers)


@contextmanager
def _staged_media():
    """Yields a function that registers the StagedMedia of a load; on any failure they are removed."""
    staged = []

    def register(media):
        staged.append(media)
        return media

    try:
        yield register
    except BaseException:
        for media in staged:
            media.discard()
        raise


def _load(backup, manifest, schema):
    try:
        return backup_file.load(backup.path, manifest, schema)
    except backup_file.BackupError as exc:
        raise SiteActionError(f"恢复失败：{exc}。站点未做任何改动。") from exc


def restore_as_new_site(
    backup, *, name, parent, region_code, site_code, domains=(), acting_user, source="", progress=no_progress
):
    """Make a new site from a backup: new registry row, new schema and media; nothing else is touched.

    For a deleted site (its codes are free again) or a copy of one beside the original
    under other codes. Its accounts and content are the backup's.
    """
    require_public_schema()
    progress("读取并校验备份文件")
    manifest = _checked_manifest(backup)
    level = manifest["site"]["level"]
    name, region_code, site_code, hosts = _new_site_fields(
        level, name=name, parent=parent, region_code=region_code, site_code=site_code, domains=domains
    )
    schema = schema_name_for(region_code)
    progress("载入备份，建立新站点")
    try:
        with schema_restore(schema), _staged_media() as staged_media, transaction.atomic():
            site = GovSite.objects.create(
                schema_name=schema, name=name, level=level, parent=parent, region_code=region_code,
                site_code=site_code, status=SiteStatus.ACTIVE,
            )
            for index, host in enumerate(hosts):
                Domain.objects.create(domain=host, tenant=site, is_primary=index == 0)
            staged = staged_media(_load(backup, manifest, schema))
            _after_load(site, hosts[0])
            with schema_context(schema):
                Site.objects.update(site_name=site.display_name)
            audit.record(
                AuditAction.RESTORE_AS_NEW_SITE, acting_user=acting_user, site=site, source=source,
                file=backup.file_name, from_site=f"{backup.site_name}（{backup.region_code}）", domains=hosts,
            )
            transaction.on_commit(routes_changed)
            transaction.on_commit(staged.commit)
    finally:
        connection.set_schema_to_public()
    site.refresh_from_db()
    return site


def check_restore_as_new(backup, *, name, parent, region_code, site_code, domains=()):
    """What restore_as_new_site would refuse about the new site's fields, found now: SiteActionError.

    For the console, before it hands the restore to the job worker; reads the backup's manifest
    only (the restore itself reads and checks the whole file, and checks the fields again).
    """
    try:
        manifest = backup_file.manifest_of(backup.path)
    except backup_file.BackupError as exc:
        raise SiteActionError(f"不能恢复：{exc}") from exc
    _new_site_fields(manifest["site"]["level"], name=name, parent=parent, region_code=region_code,
                     site_code=site_code, domains=domains)


def _new_site_fields(level, *, name, parent, region_code, site_code, domains):
    name, region_code, site_code = validate_new_site(
        name=name, level=level, parent=parent, region_code=region_code, site_code=site_code
    )
    hosts = checked_new_hosts(domains)
    if not hosts:
        raise SiteActionError({"domain": ["请填写新站点的域名"]})
    return name, region_code, site_code, hosts


def delete_backup(backup, *, acting_user, source=""):
    """Remove a backup file and its record. The last verified backup of a deleted site is kept."""
    require_public_schema()
    if backup.site_id is None and not SiteBackup.objects.filter(
        region_code=backup.region_code, site__isnull=True, verified_at__isnull=False
    ).exclude(pk=backup.pk).exists():
        raise SiteActionError("这是已删除站点仅存的校验通过的备份，不能删除")
    with transaction.atomic():
        audit.record(AuditAction.DELETE_BACKUP, acting_user=acting_user, site=backup.site, source=source,
                     file=backup.file_name, site_label=f"{backup.site_name}（{backup.region_code}）")
        backup.delete()
        transaction.on_commit(lambda: backup.path.unlink(missing_ok=True))
