"""Site editors' accounts, managed from the console: list, create, disable, enable, reset a password.

A site's accounts live in its own schema (docs/architecture.md), so these functions are
the console's door into a site: each refuses to run outside the public schema, switches
to the site's schema explicitly, and writes its audit row in the public schema, all in
one transaction. A new or reset password is returned once, to be handed over; only its
hash is stored. Disabling an account also ends its sessions at once.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_tenants.utils import schema_context

from . import audit
from .actions import SiteActionError, _require_public_schema
from .provisioning.roles import EDITOR, REVIEWER, SITE_ADMIN
from .sessions import end_sessions

SITE_GROUPS = [EDITOR, REVIEWER, SITE_ADMIN]


@dataclass
class Account:
    username: str
    name: str
    email: str
    groups: list
    is_active: bool
    last_login: object
    date_joined: object


def list_accounts(site):
    """The site's accounts, active first, by user name."""
    _require_public_schema()
    with schema_context(site.schema_name):
        users = get_user_model().objects.prefetch_related("groups").order_by("-is_active", "username")
        return [
            Account(user.username, user.first_name, user.email, sorted(g.name for g in user.groups.all()),
                    user.is_active, user.last_login, user.date_joined)
            for user in users
        ]


def _valid(validator, value):
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _new_password():
    return secrets.token_urlsafe(9)  # 12 characters, ~72 bits


def _record(action, site, *, acting_user, source, **detail):
    audit.record(action, acting_user=acting_user, site=site, source=source, **detail)


def create_account(site, *, username, name="", email="", group=EDITOR, acting_user, source=""):
    """A new account in `site` with one of the site's groups; returns its initial password."""
    _require_public_schema()
    username = (username or "").strip()
    errors = {}
    if not (0 < len(username) <= 150 and _valid(UnicodeUsernameValidator(), username)):
        errors["username"] = ["用户名为 1–150 个字母、数字或 @.+-_ 字符"]
    if email and not _valid(validate_email, email):
        errors["email"] = ["请输入有效的电子邮件地址"]
    if group not in SITE_GROUPS:
        errors["group"] = [f"角色应为：{'、'.join(SITE_GROUPS)}"]
    if errors:
        raise SiteActionError(errors)
    password = _new_password()
    with transaction.atomic(), schema_context(site.schema_name):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise SiteActionError({"username": [f"站点“{site.name}”已有账号 {username}"]})
        user = User.objects.create(username=username, first_name=name[:150], email=email,
                                   password=make_password(password))
        user.groups.add(Group.objects.get(name=group))
        _record("create_site_account", site, acting_user=acting_user, source=source, username=username, group=group)
    return password


def _account(site, username):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise SiteActionError(f"站点“{site.name}”没有账号 {username}")
    return user


def set_active(site, username, active, *, acting_user, source=""):
    """Disable (ending its sessions) or enable an account of `site`."""
    _require_public_schema()
    with transaction.atomic(), schema_context(site.schema_name):
        user = _account(site, username)
        if user.is_active == active:
            raise SiteActionError(f"账号 {username} 已经是{'启用' if active else '停用'}状态")
        user.is_active = active
        user.save(update_fields=["is_active"])
        ended = 0 if active else end_sessions(user)
        _record("enable_site_account" if active else "disable_site_account", site, acting_user=acting_user,
                source=source, username=username, **({} if active else {"sessions_ended": ended}))


def reset_password(site, username, *, acting_user, source=""):
    """A new password for an account of `site` (its sessions end); returns the password."""
    _require_public_schema()
    password = _new_password()
    with transaction.atomic(), schema_context(site.schema_name):
        user = _account(site, username)
        user.password = make_password(password)
        user.save(update_fields=["password"])
        ended = end_sessions(user)
        _record("reset_site_account_password", site, acting_user=acting_user, source=source, username=username,
                sessions_ended=ended)
    return password


FIND_LIMIT = 200
# Sites per UNION ALL statement when looking accounts up across the province.
_FIND_CHUNK = 300


@dataclass
class FoundAccount:
    site: object
    account: Account


def find_accounts(text, *, limit=FIND_LIMIT):
    """Who has access where: accounts of any site whose user name, name or e-mail contains `text`.

    One UNION ALL statement per few hundred sites, reading each site's auth tables by their
    schema-qualified names (no switch of schema per site). Returns (found, capped): at most
    `limit` accounts, sites in region-code order, and whether more matched.
    """
    from django.db import connection
    from psycopg import sql

    from .models import GovSite

    text = (text or "").strip()[:100]
    if not text:
        return [], False
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        existing = {row[0] for row in cursor.fetchall()}
    sites = [s for s in GovSite.objects.order_by("region_code") if s.schema_name in existing]
    by_id = {site.pk: site for site in sites}
    found = []
    for start in range(0, len(sites), _FIND_CHUNK):
        parts, params = [], []
        for site in sites[start:start + _FIND_CHUNK]:
            schema = sql.Identifier(site.schema_name)
            parts.append(sql.SQL(
                "(SELECT %s AS site_id, u.username, u.first_name, u.email, u.is_active, u.last_login, u.date_joined,"
                " array(SELECT g.name FROM {s}.auth_user_groups ug JOIN {s}.auth_group g ON g.id = ug.group_id"
                " WHERE ug.user_id = u.id ORDER BY g.name) AS groups"
                " FROM {s}.auth_user u WHERE u.username ILIKE %s OR u.first_name ILIKE %s OR u.email ILIKE %s)"
            ).format(s=schema))
            params += [site.pk, pattern, pattern, pattern]
        query = sql.SQL(" UNION ALL ").join(parts) + sql.SQL(" LIMIT %s")
        with connection.cursor() as cursor:
            cursor.execute(query, [*params, limit + 1 - len(found)])
            for site_id, username, name, email, active, last_login, joined, groups in cursor.fetchall():
                found.append(FoundAccount(by_id[site_id], Account(username, name, email, list(groups), active,
                                                                  last_login, joined)))
        if len(found) > limit:
            return found[:limit], True
    return found, False
