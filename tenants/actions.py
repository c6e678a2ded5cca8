"""Every state change of a site goes through one of these functions.

Each takes the acting user (None for the system; `source` says "cli:<user>" or
the client IP), runs in one transaction, writes an audit row, and clears the host
routing cache once committed. Commands, console views and tests call these and
nothing else.
"""

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from edge import purge

from . import audit, regions
from .models import Domain, GovSite, SiteStatus, hostname_validator
from .naming import suggest_host
from .provisioning import spares, template
from .routing import routes_changed
from .sessions import end_sessions
from .signals import site_status_changed


class SiteActionError(ValidationError):
    """A site action was refused; `message_dict` or `messages` say why, in Chinese."""


def _require_public_schema():
    """Actions change the registry; they start in the public schema and switch only where they say so."""
    if connection.schema_name != get_public_schema_name():
        raise RuntimeError(
            f"Site actions must be called from the public schema, not {connection.schema_name!r}: "
            "switch schemas at the edges (middleware, commands, jobs), not around an action."
        )


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


def normalise_host(value):
    host = (value or "").strip().lower().rstrip(".")
    try:
        hostname_validator(host)
    except ValidationError as exc:
        raise SiteActionError({"domain": [f"“{value}”：{exc.messages[0]}"]}) from exc
    if host in settings.PLATFORM_CONSOLE_HOSTS:
        raise SiteActionError({"domain": [f"“{host}”是平台管理控制台的域名，不能分配给站点"]})
    return host


def _domain_taken(host):
    return Domain.objects.filter(domain=host).exists()


def checked_new_hosts(domains):
    """A new site's host names, normalised; SiteActionError if one is malformed, repeated or taken."""
    hosts = [normalise_host(d) for d in (domains or []) if d and d.strip()]
    if len(set(hosts)) != len(hosts):
        raise SiteActionError({"domain": ["同一域名填写了两次"]})
    for host in hosts:
        if _domain_taken(host):
            raise SiteActionError({"domain": [f"域名 {host} 已被其他站点使用"]})
    return hosts


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
# default (a million PBKDF2 rounds, about 0.2 s, most of a provisioning) buys nothing
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
    _require_public_schema()
    name, region_code, site_code = validate_new_site(
        name=name, level=level, parent=parent, region_code=region_code, site_code=site_code
    )
    hosts = checked_new_hosts(domains)
    if not hosts:
        parent_host = parent.primary_domain().domain if parent is not None and parent.primary_domain() else None
        hosts = [suggest_host(name, level, region_code, parent_host, settings.PLATFORM_DOMAIN_SUFFIX, _domain_taken)]

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
            audit.record(
                "provision_site", acting_user=acting_user, site=site, source=source,
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
    from django.core.management import call_command

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
    """Turn the cloned template into this site: names, its Wagtail Site, its administrator."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Page, Site
    from wagtail.search import index

    from columns.models import SiteSettings
    from columns.skeleton import SHORT_NAME_PLACEHOLDER, SITE_NAME_PLACEHOLDER

    from .provisioning.roles import SITE_ADMIN

    Site.objects.update(
        hostname=primary_host, port=settings.PLATFORM_SITE_PORT, site_name=site.display_name, is_default_site=True
    )
    SiteSettings.objects.update_or_create(
        site=Site.objects.get(), defaults={"organiser": f"{site.display_name}办公室"}
    )
    renamed = []
    for page in Page.objects.filter(title__contains="{"):
        title = page.title.replace(SITE_NAME_PLACEHOLDER, site.display_name).replace(
            SHORT_NAME_PLACEHOLDER, site.short_name
        )
        Page.objects.filter(pk=page.pk).update(title=title, draft_title=title)
        renamed.append(page.pk)
    for page in Page.objects.filter(pk__in=renamed).specific():
        index.insert_or_update_object(page)
    user = get_user_model().objects.create(
        username=SITE_ADMIN_USERNAME, password=password_hash, first_name="站点管理员", is_staff=True,
    )
    user.groups.add(Group.objects.get(name=SITE_ADMIN))


def _routing_changed(site, also=()):
    """After commit: this worker forgets its host look-ups, and the edge forgets the site's pages.

    Every host of the site (and `also`, a host just removed) answers differently now: a
    503, a 301, or the site again. Purged once at commit and once more when every other
    worker has read the new route generation (TENANT_ROUTE_CACHE_SECONDS).
    """
    transaction.on_commit(routes_changed)
    hosts = sorted({*Domain.objects.filter(tenant=site).values_list("domain", flat=True), *also})
    purge.request_host_purge(hosts, again_after=settings.TENANT_ROUTE_CACHE_SECONDS + 1)


SITE_BUSY = "另一位管理员正在对站点“{name}”执行操作，请稍后刷新页面查看结果再试"


def lock_site(site):
    """The site's registry row, locked for this transaction; refused at once if someone else holds it.

    Two admins pressing buttons on one site at the same moment: the second gets a clear
    message instead of waiting, and never a half-done state.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_site needs the action's transaction")
    try:
        return GovSite.objects.select_for_update(nowait=True).get(pk=site.pk)
    except GovSite.DoesNotExist as exc:
        raise SiteActionError(f"站点“{site.name}”已不存在（可能刚被其他管理员删除）") from exc
    except OperationalError as exc:
        raise SiteActionError(SITE_BUSY.format(name=site.name)) from exc


def _change_status(site, new_status, action, *, acting_user, source, allowed_from, successor=None, **detail):
    _require_public_schema()
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
        _routing_changed(site)
        site_status_changed.send(sender=GovSite, site=site, previous=previous)
    return site


def suspend_site(site, *, acting_user, source=""):
    """Take a site offline: visitors get a 503 maintenance page; data is untouched."""
    return _change_status(
        site, SiteStatus.SUSPENDED, "suspend_site", acting_user=acting_user, source=source,
        allowed_from={SiteStatus.ACTIVE},
    )


def resume_site(site, *, acting_user, source=""):
    return _change_status(
        site, SiteStatus.ACTIVE, "resume_site", acting_user=acting_user, source=source,
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
        site, SiteStatus.ARCHIVED, "archive_site", acting_user=acting_user, source=source,
        allowed_from={SiteStatus.ACTIVE, SiteStatus.SUSPENDED}, successor=successor,
        successor_region_code=successor.region_code if successor else "",
    )


def unarchive_site(site, *, acting_user, source=""):
    """Bring an archived site back into service: editable and writable again, no banner."""
    return _change_status(
        site, SiteStatus.ACTIVE, "unarchive_site", acting_user=acting_user, source=source,
        allowed_from={SiteStatus.ARCHIVED},
    )


def add_domain(site, host, *, acting_user, source="", make_primary=False):
    """Add a host name to a site; aliases redirect to the primary one."""
    _require_public_schema()
    host = normalise_host(host)
    with transaction.atomic():
        if Domain.objects.filter(domain=host).exists():
            raise SiteActionError({"domain": [f"域名 {host} 已被使用"]})
        domain = Domain.objects.create(domain=host, tenant=site, is_primary=False)
        audit.record("add_domain", acting_user=acting_user, site=site, source=source, domain=host)
        if make_primary:
            _set_primary(site, domain, acting_user=acting_user, source=source)
        _routing_changed(site)
    return domain


def set_primary_domain(site, host, *, acting_user, source=""):
    _require_public_schema()
    with transaction.atomic():
        domain = Domain.objects.select_for_update().filter(tenant=site, domain=host).first()
        if domain is None:
            raise SiteActionError({"domain": [f"域名 {host} 不属于站点“{site.name}”"]})
        _set_primary(site, domain, acting_user=acting_user, source=source)
        _routing_changed(site)
    return domain


def _set_primary(site, domain, *, acting_user, source):
    from wagtail.models import Site

    Domain.objects.filter(tenant=site, is_primary=True).update(is_primary=False)
    Domain.objects.filter(pk=domain.pk).update(is_primary=True)
    with schema_context(site.schema_name):
        # Wagtail builds absolute links from its Site's hostname.
        Site.objects.update(hostname=domain.domain)
    audit.record("set_primary_domain", acting_user=acting_user, site=site, source=source, domain=domain.domain)


def remove_domain(site, host, *, acting_user, source=""):
    _require_public_schema()
    with transaction.atomic():
        domain = Domain.objects.select_for_update().filter(tenant=site, domain=host).first()
        if domain is None:
            raise SiteActionError({"domain": [f"域名 {host} 不属于站点“{site.name}”"]})
        if domain.is_primary:
            raise SiteActionError({"domain": ["不能删除主域名：请先把另一个域名设为主域名"]})
        domain.delete()
        audit.record("remove_domain", acting_user=acting_user, site=site, source=source, domain=host)
        _routing_changed(site, also=[host])


def set_staff_role(user, role, *, acting_user, source=""):
    """Give a platform staff account one role (tenants.roles), replacing any other; None takes it away."""
    from django.contrib.auth.models import Group

    from . import roles

    _require_public_schema()
    if role is not None and role not in roles.ROLES:
        raise SiteActionError({"role": [f"没有“{role}”这个角色；可选：{'、'.join(roles.ROLES)}"]})
    with transaction.atomic():
        previous = roles.role_of(user)
        user.groups.remove(*Group.objects.filter(name__in=roles.ROLES))
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        audit.record(
            "set_staff_role", acting_user=acting_user, source=source, username=user.get_username(),
            role=role or "", previous=previous or "",
        )
    return user


def reset_staff_two_factor(user, *, acting_user, source=""):
    """Remove a staff account's two-factor devices (a lost phone): it signs in with its password alone again.

    Not for one's own account: that is turned off with a current code (tenants/two_factor.py).
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_public_schema()
    if acting_user is not None and acting_user.pk == user.pk:
        raise SiteActionError(["不能重置自己的两步验证：请在“两步验证”页输入当前验证码关闭"])
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        if not removed:
            raise SiteActionError([f"{user.get_username()} 没有开启两步验证"])
        TOTPDevice.objects.filter(user=user).delete()  # and a setup it had left unfinished
        # Whoever has the lost phone may have the signed-in laptop too: every session ends.
        ended = end_sessions(user)
        audit.record("reset_staff_two_factor", acting_user=acting_user, source=source, username=user.get_username(),
                     sessions_ended=ended)
