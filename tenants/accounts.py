"""Site editors' accounts as the console reads them: one site's list, and a person found in every site.

A site's accounts live in its own schema (docs/architecture.md); changing them is done by the
actions in tenants.actions.site_accounts.
"""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from psycopg import sql

from .actions.base import require_public_schema
from .models import GovSite
from .provisioning.site_groups import SITE_ADMIN


@dataclass
class Account:
    username: str
    name: str
    email: str
    groups: list
    is_active: bool
    last_login: object
    date_joined: object
    locked: bool = False  # its login is locked out now (tenants.logins)
    two_factor: bool = False  # it has a confirmed authenticator app (tenants.two_factor)
    two_factor_required: bool = False  # an administrator of the site: it may not work without one


def list_accounts(site):
    """The site's accounts, active first, by user name."""
    require_public_schema()
    with schema_context(site.schema_name):
        users = get_user_model().objects.prefetch_related("groups").annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        ).order_by("-is_active", "username")
        locked = locked_usernames()
        accounts = []
        for user in users:
            groups = sorted(g.name for g in user.groups.all())
            accounts.append(Account(
                user.username, user.first_name, user.email, groups, user.is_active, user.last_login,
                user.date_joined, user.username in locked, user.has_two_factor,
                user.is_superuser or SITE_ADMIN in groups,
            ))
        return accounts


def locked_usernames():
    """User names whose login is locked out in the connection's schema now (django-axes' counts)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(attempt_time__gte=since).order_by().values("username")
        .annotate(failures=Sum("failures_since_start")).filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


FIND_LIMIT = 200
# Sites per UNION ALL statement when reading accounts across the province.
_CHUNK = 300


@dataclass
class FoundAccount:
    site: object
    account: Account


def across_sites(select, params, *, limit):
    """The rows of `select` in every site, read by schema-qualified names (no switch of schema per site).

    `select` is one site's query with `{s}` for its schema and its first column `%s`, the site's id
    (then `params`); one UNION ALL statement per few hundred sites. Returns (rows, capped): at most
    `limit` rows, each (site, *columns), sites in region-code order, and whether more matched.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        existing = {row[0] for row in cursor.fetchall()}
    sites = [s for s in GovSite.objects.prefetch_related("domains").order_by("region_code")
             if s.schema_name in existing]
    by_id = {site.pk: site for site in sites}
    rows = []
    for start in range(0, len(sites), _CHUNK):
        chunk = sites[start:start + _CHUNK]
        parts = [sql.SQL("(" + select + ")").format(s=sql.Identifier(site.schema_name)) for site in chunk]
        query = sql.SQL(" UNION ALL ").join(parts) + sql.SQL(" LIMIT %s")
        with connection.cursor() as cursor:
            cursor.execute(query, [p for site in chunk for p in (site.pk, *params)] + [limit + 1 - len(rows)])
            rows += [(by_id[row[0]], *row[1:]) for row in cursor.fetchall()]
        if len(rows) > limit:
            return rows[:limit], True
    return rows, False


def find_accounts(text, *, limit=FIND_LIMIT):
    """Who has access where: accounts of any site whose user name, name or e-mail contains `text`.

    Returns (found, capped): at most `limit` accounts, sites in region-code order, and whether
    more matched (`across_sites`).
    """
    text = (text or "").strip()[:100]
    if not text:
        return [], False
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows, capped = across_sites(
        "SELECT %s AS site_id, u.username, u.first_name, u.email, u.is_active, u.last_login, u.date_joined,"
        " array(SELECT g.name FROM {s}.auth_user_groups ug JOIN {s}.auth_group g ON g.id = ug.group_id"
        " WHERE ug.user_id = u.id ORDER BY g.name) AS groups"
        " FROM {s}.auth_user u WHERE u.username ILIKE %s OR u.first_name ILIKE %s OR u.email ILIKE %s",
        [pattern, pattern, pattern], limit=limit,
    )
    found = [FoundAccount(site, Account(username, name, email, list(groups), active, last_login, joined))
             for site, username, name, email, active, last_login, joined, groups in rows]
    return found, capped
