"""What every action shares: its error, the schema it starts in, its locks, and what it says after commit."""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import OperationalError, connection, transaction
from django_tenants.utils import get_public_schema_name

from ..models import Domain, GovSite
from ..routing import routes_changed
from ..signals import site_routing_changed


class SiteActionError(ValidationError):
    """An action was refused; `message_dict` or `messages` say why, in Chinese."""


def require_public_schema():
    """Actions change the registry; they start in the public schema and switch only where they say so."""
    if connection.schema_name != get_public_schema_name():
        raise RuntimeError(
            f"Site actions must be called from the public schema, not {connection.schema_name!r}: "
            "switch schemas at the edges (middleware, commands, jobs), not around an action."
        )


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


def try_advisory_lock(namespace, key):
    """Take a session-level advisory lock (namespace, key) if it is free; True when taken.

    Session-level: it outlives transactions and goes with the connection, so a process that dies
    holding one frees it, and pg_locks shows who holds one now (tenants.jobs reads it).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, key])
        return cursor.fetchone()[0]


def release_advisory_lock(namespace, key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])


@contextmanager
def advisory_lock(namespace, key, refused):
    """Hold the lock for the block, or raise SiteActionError(refused) at once if another session holds it."""
    if not try_advisory_lock(namespace, key):
        raise SiteActionError(refused)
    try:
        yield
    finally:
        release_advisory_lock(namespace, key)


def no_progress(step, *, done=None, total=None):
    """What a long action reports at each phase boundary, outside its transaction (tenants.jobs shows it)."""


# Advisory lock namespace of long site operations (backup, restore, delete, fold); the key is the site's id.
SITE_OPERATION_LOCK = 48_112


def site_operation(site, what):
    """Hold the site's operation lock for a long action, or refuse at once if another one holds it."""
    return advisory_lock(
        SITE_OPERATION_LOCK, site.pk, f"站点“{site.name}”正在进行备份、恢复或删除，{what}需等它完成后再试"
    )


def routing_changed(site, also=()):
    """Every host of `site` (and `also`, hosts just removed) answers differently from this commit on.

    After commit this worker forgets its host look-ups and the route generation moves
    (tenants.routing); `site_routing_changed` tells the apps above (the edge cache forgets
    the hosts' pages, once now and once more when every other worker has read the new
    generation, TENANT_ROUTE_CACHE_SECONDS later).
    """
    transaction.on_commit(routes_changed)
    hosts = sorted({*Domain.objects.filter(tenant=site).values_list("domain", flat=True), *also})
    site_routing_changed.send(
        sender=GovSite, site=site, hosts=hosts, settled_after=settings.TENANT_ROUTE_CACHE_SECONDS + 1
    )


# Advisory lock namespace of a schema being restored (its media staged, then moved in); the key is
# hashtext(schema name). A restore as a new site has no site row until it commits, so the site's lock
# cannot cover it; finish_interrupted_restores skips any schema whose lock is held.
SCHEMA_RESTORE_LOCK = 48_113


def schema_key(schema):
    """The key of a schema's restore lock (hashtext of its name, computed by PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT hashtext(%s)", [schema])
        return cursor.fetchone()[0]


def schema_restore(schema):
    """Hold the schema's restore lock for the whole restore, or refuse at once."""
    return advisory_lock(SCHEMA_RESTORE_LOCK, schema_key(schema), f"数据库模式 {schema} 正在恢复中，请等它完成后再试")


def account_field_errors(username, email):
    """What is wrong with a new account's user name and e-mail address, by field (empty: nothing)."""
    def valid(validator, value):
        try:
            validator(value)
        except ValidationError:
            return False
        return True

    errors = {}
    if not (0 < len(username) <= 150 and valid(UnicodeUsernameValidator(), username)):
        errors["username"] = ["用户名为 1–150 个字母、数字或 @.+-_ 字符"]
    if email and not valid(validate_email, email):
        errors["email"] = ["请输入有效的电子邮件地址"]
    return errors
