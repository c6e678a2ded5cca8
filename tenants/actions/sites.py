"""A site's life in the registry: provision, suspend, resume, archive, unarchive, delete.

Each action takes the acting user (None for the system; `source` says "cli:<user>" or the
client's address), runs in one transaction from the public schema, writes one audit row with
its `AuditAction`, and tells the apps above through tenants.signals; what the other workers
and the edge must learn is sent after commit (actions.base.routing_changed).
"""

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Site

from .. import audit, backup_file, passwords, regions
from ..models import AuditAction, Domain, GovSite, PasswordChangeRequired, SiteBackup, SiteStatus
from ..naming import suggest_host
from ..provisioning import spares, template
from ..provisioning.site_groups import SITE_ADMIN
from ..routing import routes_changed
from ..signals import site_provisioned, site_status_changed
from .base import SiteActionError, lock_site, no_progress, require_public_schema, routing_changed, site_operation
from .domains import checked_new_hosts, domain_taken


@dataclass
class ProvisionResult:
    site: GovSite
    admin_username: str
    admin_password: str

    @property
    def base_url(self):
        return self.site.base_url()

    @property
    def admin_url(self):
        return f"{self.base_url}/admin/"


SITE_ADMIN_USERNAME = "admin"


def schema_name_for(region_code):
    return template.checked_schema(f"site_{region_code}")


def validate_new_site(*, name, level, parent, region_code, site_code):
    """Check a new site's registry fields; raise SiteActionError listing every problem."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["请填写站点名称（行政区划名称）"]
    elif len(name) > 100 or not re.fullmatch(r"[\u4e00-\u9fff·（）()A-Za-z0-9]+", name):
        errors["name"] = [f"站点名称“{name[:30]}”应为 100 字以内的中文区划名称"]
    try:
        region_code = regions.validate_region_code(region_code, level)
        regions.validate_parent(
            level, region_code, parent.level if parent else None, parent.region_code if parent else None
        )
    except ValidationError as exc:
        errors["region_code"] = exc.messages
    else:
        if GovSite.objects.filter(region_code=region_code).exists():
            errors["region_code"] = [f"区划代码 {region_code} 已有站点"]
        try:
            site_code = regions.validate_site_code(site_code, region_code)
        except ValidationError as exc:
            errors["site_code"] = exc.messages
        else:
            if GovSite.objects.filter(site_code=site_code).exists():
                errors["site_code"] = [f"网站标识码 {site_code} 已被其他站点使用"]
    if parent is not None and parent.status != SiteStatus.ACTIVE:
        errors.setdefault("parent", []).append(
            f"上级站点“{parent.name}”当前{parent.get_status_display()}，不能在其下开设新站点"
        )
    if errors:
        raise SiteActionError(errors)
    return name, region_code, site_code


# Work factor for the generated initial password only. It is a random 96-bit secret
# (secrets.token_urlsafe(12)), which no amount of guessing recovers, so the slow
# default (a million PBKDF2 rounds, most of a provisioning's time) buys nothing
# here. Django re-hashes it with the full default the first time the administrator
# logs in, because its iteration count differs (PBKDF2PasswordHasher.must_update).
INITIAL_PASSWORD_ITERATIONS = 20_000


def initial_password_hash(password):
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=INITIAL_PASSWORD_ITERATIONS)
    return make_password(password)


def provision_site(
    *, name, level, parent, region_code, site_code, domains=None, acting_user=None, source="", method="clone"
):
    """Create a site: registry row, domains, its schema from the template, its Wagtail Site and admin.

    All in one transaction: a failure leaves neither a registry row nor a schema.
    `method="migrate"` runs every migration instead of cloning (benchmarks only).
    Returns a ProvisionResult with the site administrator's credentials.
    """
    require_public_schema()
    name, region_code, site_code = validate_new_site(
        name=name, level=level, parent=parent, region_code=region_code, site_code=site_code
    )
    hosts = checked_new_hosts(domains)
    if not hosts:
        parent_host = parent.primary_domain().domain if parent is not None and parent.primary_domain() else None
        hosts = [suggest_host(name, level, region_code, parent_host, settings.PLATFORM_DOMAIN_SUFFIX, domain_taken)]

    schema_name = schema_name_for(region_code)
    if schema_exists(schema_name):
        raise SiteActionError(
            f"站点未创建：数据库中已有模式 {schema_name}（可能是以前删除站点时留下的），请运维人员核查后再试"
        )
    snapshot = template.ensure_template() if method == "clone" else None
    password = secrets.token_urlsafe(12)

    if method == "migrate":
        _create_schema_by_migrating(schema_name)
    try:
        with transaction.atomic():
            site = GovSite(
                schema_name=schema_name, name=name, level=level, parent=parent,
                region_code=region_code, site_code=site_code,
            )
            site.save()
            for index, host in enumerate(hosts):
                Domain.objects.create(domain=host, tenant=site, is_primary=index == 0)
            from_spare = method == "clone" and spares.take_spare(snapshot, schema_name)
            if method == "clone" and not from_spare:
                template.clone_template(snapshot, schema_name)
            with schema_context(schema_name):
                _personalise_site(site, hosts[0], initial_password_hash(password))
            passwords.require_change(schema_name, SITE_ADMIN_USERNAME, PasswordChangeRequired.Reason.ISSUED)
            audit.record(
                AuditAction.PROVISION_SITE, acting_user=acting_user, site=site, source=source,
                domains=hosts, method=method, from_spare=from_spare, level=level, region_code=region_code,
                site_code=site_code,
            )
            transaction.on_commit(routes_changed)
            transaction.on_commit(_drop_catalog_caches)
    except IntegrityError as exc:
        if method == "migrate":
            _drop_schema(schema_name)
        detail = getattr(getattr(exc.__cause__, "diag", None), "message_primary", None) or exc
        raise SiteActionError(f"站点未创建：与已有站点冲突（{detail}）") from exc
    except BaseException:
        if method == "migrate":
            _drop_schema(schema_name)
        raise
    finally:
        connection.set_schema_to_public()
    site.refresh_from_db()
    return ProvisionResult(site=site, admin_username=SITE_ADMIN_USERNAME, admin_password=password)


def _drop_catalog_caches():
    """Start a fresh database session after creating a schema.

    A PostgreSQL backend caches catalog entries for every object it has created, and
    processes invalidations against all of them on every later DDL statement: one
    long-lived session that provisions site after site gets slower with each (about
    1 s per site after 1,600 in one session, against 0.2 s in a fresh one). Reconnecting
    costs a few milliseconds; provisioning is rare next to page requests.
    """
    connection.close()


def _create_schema_by_migrating(schema_name):
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    try:
        call_command("migrate_schemas", schema_name=schema_name, tenant=True, interactive=False, verbosity=0)
        with transaction.atomic(), schema_context(schema_name):
            template.seed_site_content()
    except BaseException:
        _drop_schema(schema_name)
        raise
    finally:
        connection.set_schema_to_public()


def _drop_schema(schema_name):
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')


def _personalise_site(site, primary_host, password_hash):
    """Turn the cloned template into this site: its Wagtail Site, its administrator, and (signal) its names."""
    Site.objects.update(
        hostname=primary_host, port=settings.PLATFORM_SITE_PORT, site_name=site.display_name, is_default_site=True
    )
    user = get_user_model().objects.create(
        username=SITE_ADMIN_USERNAME, password=password_hash, first_name="站点管理员", is_staff=True,
    )
    user.groups.add(Group.objects.get(name=SITE_ADMIN))
    site_provisioned.send(sender=GovSite, site=site)


def _change_status(site, new_status, action, *, acting_user, source, allowed_from, successor=None, **detail):
    require_public_schema()
    with transaction.atomic():
        site = lock_site(site)
        if site.status not in allowed_from:
            raise SiteActionError(f"站点“{site.name}”当前{site.get_status_display()}，不能执行此操作")
        previous = site.status
        site.status = new_status
        site.status_changed_at = timezone.now()
        site.successor = successor
        site.save(update_fields=["status", "status_changed_at", "successor", "updated_at"])
        audit.record(action, acting_user=acting_user, site=site, source=source, previous=previous, **detail)
        routing_changed(site)
        site_status_changed.send(sender=GovSite, site=site, previous=previous)
    return site


def suspend_site(site, *, acting_user, source=""):
    """Take a site offline: visitors get a 503 maintenance page; data is untouched."""
    return _change_status(
        site, SiteStatus.SUSPENDED, AuditAction.SUSPEND_SITE, acting_user=acting_user, source=source,
        allowed_from={SiteStatus.ACTIVE},
    )


def resume_site(site, *, acting_user, source=""):
    return _change_status(
        site, SiteStatus.ACTIVE, AuditAction.RESUME_SITE, acting_user=acting_user, source=source,
        allowed_from={SiteStatus.SUSPENDED},
    )


def archive_site(site, *, acting_user, successor=None, source=""):
    """Freeze a site: it stays readable, but nothing on it changes any more.

    Editors cannot publish or edit and citizens cannot write (tenants.middleware refuses
    every change), and each page carries a banner saying so, linking to `successor`
    (the site that carries its work on) when there is one.
    """
    if successor is not None:
        if successor.pk == site.pk:
            raise SiteActionError({"successor": ["接续站点不能是站点自己"]})
        if successor.status != SiteStatus.ACTIVE:
            raise SiteActionError(
                {"successor": [f"接续站点“{successor.name}”当前{successor.get_status_display()}，请选择运行中的站点"]}
            )
    return _change_status(
        site, SiteStatus.ARCHIVED, AuditAction.ARCHIVE_SITE, acting_user=acting_user, source=source,
        allowed_from={SiteStatus.ACTIVE, SiteStatus.SUSPENDED}, successor=successor,
        successor_region_code=successor.region_code if successor else "",
    )


def unarchive_site(site, *, acting_user, source=""):
    """Bring an archived site back into service: editable and writable again, no banner."""
    return _change_status(
        site, SiteStatus.ACTIVE, AuditAction.UNARCHIVE_SITE, acting_user=acting_user, source=source,
        allowed_from={SiteStatus.ARCHIVED},
    )




def check_deletable(site, confirm_name):
    """The backup that lets `site` be deleted; SiteActionError saying why it cannot be deleted now.

    The checks that need no file read; delete_site makes them again under the site's lock, then
    reads the backup back in full.
    """
    if (confirm_name or "").strip() != site.name:
        raise SiteActionError({"confirm_name": [f"请输入站点名称“{site.name}”以确认删除"]})
    if site.status == SiteStatus.ACTIVE:
        raise SiteActionError("运行中的站点不能删除：请先暂停或归档，再备份，然后删除")
    children = list(site.children.values_list("name", flat=True)[:5])
    if children:
        raise SiteActionError(f"站点“{site.name}”下还有站点（{'、'.join(children)}），请先处理下级站点")
    backup = SiteBackup.deletable_for(site)
    if backup is None:
        raise SiteActionError(
            f"删除前需要一份在站点{site.get_status_display().removeprefix('已')}之后做的、校验通过的备份：请先备份"
        )
    return backup


def delete_site(site, *, confirm_name, acting_user, source="", progress=no_progress):
    """Remove a site for good: schema, media, domains and registry row. Its backups and audit stay.

    Allowed only for a suspended or archived site without sites below it, with a backup made
    since it stopped changing that reads back intact now, and with the site's name typed
    again as confirmation. The public rows that hang on the site (library, indicators,
    counters) go with its registry row (their foreign keys cascade).
    """
    require_public_schema()
    if (confirm_name or "").strip() != site.name:
        raise SiteActionError({"confirm_name": [f"请输入站点名称“{site.name}”以确认删除"]})
    progress("读回校验最近的备份，然后删除站点（在一个事务中完成）")
    with site_operation(site, "删除"), transaction.atomic():
        site = lock_site(site)
        backup = check_deletable(site, confirm_name)
        try:
            backup_file.verify(backup.path, sha256=backup.sha256, size=backup.size)
        except backup_file.BackupError as exc:
            SiteBackup.objects.filter(pk=backup.pk).update(verified_at=None, problem=str(exc)[:300])
            raise SiteActionError(f"最近的备份已无法通过校验（{exc}），请重新备份后再删除") from exc
        schema = template.checked_schema(site.schema_name)
        hosts = list(site.domains.values_list("domain", flat=True))
        audit.record(
            AuditAction.DELETE_SITE, acting_user=acting_user, site=site, source=source, backup=backup.file_name,
            domains=hosts, schema=schema,
        )
        routing_changed(site, also=hosts)
        Domain.objects.filter(tenant=site).delete()
        GovSite.objects.filter(pk=site.pk).update(successor=None)
        GovSite.objects.filter(successor=site).update(successor=None)
        site.delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        transaction.on_commit(lambda: backup_file.remove_media(schema))
