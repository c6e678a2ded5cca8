"""Backing a site up, restoring it, and deleting it (which needs a verified backup first).

Actions like those in tenants.actions: each takes the acting user, writes an audit row
and refuses to run outside the public schema; the file format and the loading are in
tenants.backups. Long operations on one site (backup, restore, delete) hold a
PostgreSQL advisory lock for the site, so a second admin acting on the same site at
the same time is told so at once instead of interleaving with the first.

Restoring never touches another site: it creates or replaces exactly one schema and one
site's media folders, and the replaced schema is only dropped in the same transaction
that makes the restored one live.
"""

import logging
import secrets
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from . import audit, backups
from .actions import (
    SiteActionError,
    _require_public_schema,
    _routing_changed,
    checked_new_hosts,
    lock_site,
    schema_name_for,
    validate_new_site,
)
from .models import Domain, GovSite, SiteBackup, SiteStatus
from .provisioning import template
from .routing import routes_changed, site_urls

logger = logging.getLogger(__name__)

# Advisory lock namespace of long site operations (backup, restore, delete); the key is the site's id.
SITE_OPERATION_LOCK = 48_112


@contextmanager
def site_operation(site, what):
    """Hold the site's operation lock for a long action, or refuse at once if another one holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [SITE_OPERATION_LOCK, site.pk])
        if not cursor.fetchone()[0]:
            raise SiteActionError(f"站点“{site.name}”正在进行备份、恢复或删除，{what}需等它完成后再试")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [SITE_OPERATION_LOCK, site.pk])


def backup_site(site, *, acting_user, source="", trigger=SiteBackup.Trigger.MANUAL):
    """Write a backup of the site (schema and media), read it back in full, and record it.

    Editors keep working meanwhile: the rows are one snapshot, nothing is locked. A backup
    that does not read back intact is recorded with its problem and refused.
    """
    _require_public_schema()
    with site_operation(site, "备份"):
        try:
            made = backups.create(site)
        except backups.BackupError as exc:
            raise SiteActionError(f"备份失败：{exc}") from exc
        relative = made.path.relative_to(backups.backup_root()).as_posix()
        problem = ""
        try:
            backups.verify(made.path, sha256=made.sha256, size=made.size)
        except backups.BackupError as exc:
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
                "backup_site", acting_user=acting_user, site=site, source=source, file=relative, size=made.size,
                sha256=made.sha256, trigger=trigger, verified=not problem,
            )
    if problem:
        raise SiteActionError(f"备份已写入但读回校验失败（{problem}），请检查备份磁盘")
    return backup


def verify_backup(backup, *, acting_user, source=""):
    """Read a backup back in full now; record the result on it. Returns the manifest or raises."""
    _require_public_schema()
    try:
        manifest = backups.verify(backup.path, sha256=backup.sha256, size=backup.size)
    except backups.BackupError as exc:
        SiteBackup.objects.filter(pk=backup.pk).update(verified_at=None, problem=str(exc)[:300])
        audit.record("verify_backup", acting_user=acting_user, site=backup.site, source=source,
                     file=backup.file_name, ok=False, problem=str(exc))
        raise SiteActionError(str(exc)) from exc
    SiteBackup.objects.filter(pk=backup.pk).update(verified_at=timezone.now(), problem="")
    audit.record("verify_backup", acting_user=acting_user, site=backup.site, source=source,
                 file=backup.file_name, ok=True)
    return manifest


def _checked_manifest(backup):
    """The backup's manifest once the whole file has been read and found intact and compatible."""
    try:
        manifest = backups.verify(backup.path, sha256=backup.sha256, size=backup.size)
        backups.check_compatible(manifest)
    except backups.IncompatibleBackup as exc:
        raise SiteActionError(f"不能恢复：{exc}") from exc
    except backups.BackupError as exc:
        SiteBackup.objects.filter(pk=backup.pk).update(verified_at=None, problem=str(exc)[:300])
        raise SiteActionError(f"不能恢复：{exc}。站点未做任何改动。") from exc
    return manifest


def _after_load(site, primary_host):
    """In the restored schema: Wagtail's Site answers to the site's current primary host, the library and
    the published annual reports follow, and nobody is signed in (sessions of the backup's time would
    bring back whoever was then)."""
    from django.contrib.sessions.models import Session
    from wagtail.models import Site

    from reports import signals as reports
    from search import index

    with schema_context(site.schema_name), site_urls():
        Site.objects.update(hostname=primary_host)
        Session.objects.all().delete()
        index.rebuild(site)
        reports.resync(site)


def restore_backup(backup, *, acting_user, source="", safety_backup=True):
    """Replace the site's schema and media with the backup's, after checking the whole file.

    With `safety_backup` the site's current state is backed up first, so this restore can
    itself be undone. The replaced schema is dropped in the transaction that installs the
    restored one; the media folders are swapped after it commits.
    """
    _require_public_schema()
    site = backup.site
    if site is None:
        raise SiteActionError("该备份所属的站点已删除，请选择“恢复为新站点”")
    if backup.schema_name != site.schema_name:
        raise SiteActionError("该备份不属于这个站点的当前数据库模式，请选择“恢复为新站点”")
    manifest = _checked_manifest(backup)
    if safety_backup:
        backup_site(site, acting_user=acting_user, source=source, trigger=SiteBackup.Trigger.BEFORE_RESTORE)
    schema = template.checked_schema(site.schema_name)
    replaced = template.checked_schema(f"{schema[:40]}_replaced_{secrets.token_hex(4)}")
    with site_operation(site, "恢复"), _staged_media() as staged_media:
        try:
            with transaction.atomic():
                site = lock_site(site)
                with connection.cursor() as cursor:
                    cursor.execute(f'ALTER SCHEMA "{schema}" RENAME TO "{replaced}"')
                staged = staged_media(_load(backup, manifest, schema))
                _after_load(site, site.primary_domain().domain)
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA "{replaced}" CASCADE')
                audit.record(
                    "restore_site", acting_user=acting_user, site=site, source=source, file=backup.file_name,
                    backup_created_at=backup.created_at.isoformat(), rows=backup.row_count, media=backup.media_count,
                )
                _routing_changed(site)
                transaction.on_commit(staged.commit)
        finally:
            connection.set_schema_to_public()
    return site


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
        return backups.load(backup.path, manifest, schema)
    except backups.BackupError as exc:
        raise SiteActionError(f"恢复失败：{exc}。站点未做任何改动。") from exc


def restore_as_new_site(backup, *, name, parent, region_code, site_code, domains=(), acting_user, source=""):
    """Make a new site from a backup: new registry row, new schema and media; nothing else is touched.

    For a deleted site (its codes are free again) or a copy of one beside the original
    under other codes. Its accounts and content are the backup's.
    """
    _require_public_schema()
    manifest = _checked_manifest(backup)
    level = manifest["site"]["level"]
    name, region_code, site_code = validate_new_site(
        name=name, level=level, parent=parent, region_code=region_code, site_code=site_code
    )
    hosts = checked_new_hosts(domains)
    if not hosts:
        raise SiteActionError({"domain": ["请填写新站点的域名"]})
    schema = schema_name_for(region_code)
    try:
        with _staged_media() as staged_media, transaction.atomic():
            site = GovSite.objects.create(
                schema_name=schema, name=name, level=level, parent=parent, region_code=region_code,
                site_code=site_code, status=SiteStatus.ACTIVE,
            )
            for index, host in enumerate(hosts):
                Domain.objects.create(domain=host, tenant=site, is_primary=index == 0)
            staged = staged_media(_load(backup, manifest, schema))
            _after_load(site, hosts[0])
            with schema_context(schema):
                from wagtail.models import Site

                Site.objects.update(site_name=site.display_name)
            audit.record(
                "restore_as_new_site", acting_user=acting_user, site=site, source=source, file=backup.file_name,
                from_site=f"{backup.site_name}（{backup.region_code}）", domains=hosts,
            )
            transaction.on_commit(routes_changed)
            transaction.on_commit(staged.commit)
    finally:
        connection.set_schema_to_public()
    site.refresh_from_db()
    return site


def delete_backup(backup, *, acting_user, source=""):
    """Remove a backup file and its record. The last verified backup of a deleted site is kept."""
    _require_public_schema()
    if backup.site_id is None and not SiteBackup.objects.filter(
        region_code=backup.region_code, site__isnull=True, verified_at__isnull=False
    ).exclude(pk=backup.pk).exists():
        raise SiteActionError("这是已删除站点仅存的校验通过的备份，不能删除")
    with transaction.atomic():
        audit.record("delete_backup", acting_user=acting_user, site=backup.site, source=source,
                     file=backup.file_name, site_label=f"{backup.site_name}（{backup.region_code}）")
        backup.delete()
        transaction.on_commit(lambda: backup.path.unlink(missing_ok=True))


def deletable_backup(site):
    """The newest verified backup made since the site stopped changing (suspended or archived), or None."""
    if site.status == SiteStatus.ACTIVE or site.status_changed_at is None:
        return None
    return (
        SiteBackup.objects.filter(site=site, schema_name=site.schema_name, verified_at__isnull=False, problem="",
                                  created_at__gte=site.status_changed_at)
        .order_by("-created_at").first()
    )


def delete_site(site, *, confirm_name, acting_user, source=""):
    """Remove a site for good: schema, media, domains and registry row. Its backups and audit stay.

    Allowed only for a suspended or archived site without sites below it, with a backup made
    since it stopped changing that reads back intact now, and with the site's name typed
    again as confirmation.
    """
    _require_public_schema()
    if (confirm_name or "").strip() != site.name:
        raise SiteActionError({"confirm_name": [f"请输入站点名称“{site.name}”以确认删除"]})
    with site_operation(site, "删除"), transaction.atomic():
        site = lock_site(site)
        if site.status == SiteStatus.ACTIVE:
            raise SiteActionError("运行中的站点不能删除：请先暂停或归档，再备份，然后删除")
        children = list(site.children.values_list("name", flat=True)[:5])
        if children:
            raise SiteActionError(f"站点“{site.name}”下还有站点（{'、'.join(children)}），请先处理下级站点")
        backup = deletable_backup(site)
        if backup is None:
            raise SiteActionError(
                f"删除前需要一份在站点{site.get_status_display().removeprefix('已')}之后做的、校验通过的备份：请先备份"
            )
        try:
            backups.verify(backup.path, sha256=backup.sha256, size=backup.size)
        except backups.BackupError as exc:
            SiteBackup.objects.filter(pk=backup.pk).update(verified_at=None, problem=str(exc)[:300])
            raise SiteActionError(f"最近的备份已无法通过校验（{exc}），请重新备份后再删除") from exc
        schema = template.checked_schema(site.schema_name)
        hosts = list(site.domains.values_list("domain", flat=True))
        audit.record(
            "delete_site", acting_user=acting_user, site=site, source=source, backup=backup.file_name,
            domains=hosts, schema=schema,
        )
        _routing_changed(site, also=hosts)
        Domain.objects.filter(tenant=site).delete()
        GovSite.objects.filter(pk=site.pk).update(successor=None)
        GovSite.objects.filter(successor=site).update(successor=None)
        site.delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        transaction.on_commit(lambda: _remove_media(schema))


def _remove_media(schema):
    import shutil

    for root in backups.MEDIA_ROOTS:
        shutil.rmtree(backups.media_dir(root, schema), ignore_errors=True)
