"""How big each site is and who works on it: accounts, database size, files, for the console's overview.

Counting inside every site's schema on each overview request would cost thousands of
queries, so the figures are stored (`SiteStats`, public schema) and refreshed by
`manage.py refresh_site_stats` (a timer, hourly) and for one site whenever the console
shows its page. Read-only: nothing here changes a site.
"""

import os
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from psycopg import sql

from .models import GovSite, SiteStats
from .provisioning import template


def _folder_bytes(path):
    total = 0
    stack = [Path(path)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
    return total


def schema_sizes(schema_names=None):
    """{schema: bytes of its tables, indexes and TOAST}, in one pass over the catalog."""
    query = """
        SELECT n.nspname, coalesce(sum(pg_total_relation_size(c.oid)), 0)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') {}
        GROUP BY n.nspname
    """
    with connection.cursor() as cursor:
        if schema_names is None:
            cursor.execute(query.format(""))
        else:
            cursor.execute(query.format("AND n.nspname = ANY(%s)"), [list(schema_names)])
        return dict(cursor.fetchall())


def _accounts(schema):
    """(active accounts, all accounts) of a site, read straight from its auth_user table."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT count(*) FILTER (WHERE is_active), count(*) FROM {}.auth_user").format(
                sql.Identifier(template.checked_schema(schema))
            )
        )
        return cursor.fetchone()


def refresh(sites=None):
    """Recompute the figures of `sites` (default: every site); returns how many were stored."""
    sites = list(sites if sites is not None else GovSite.objects.all())
    sizes = schema_sizes(None if len(sites) > 50 else [s.schema_name for s in sites])
    now = timezone.now()
    rows = []
    for site in sites:
        try:
            with transaction.atomic():  # a savepoint: a missing schema must not end the caller's transaction
                active, total = _accounts(site.schema_name)
        except DatabaseError:  # a site whose schema is gone or broken: its row says so, the others go on
            active = total = None
        media = sum(_folder_bytes(Path(getattr(settings, root)) / site.schema_name)
                    for root in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"))
        rows.append(SiteStats(site=site, active_accounts=active, accounts=total,
                              database_bytes=sizes.get(site.schema_name, 0), media_bytes=media, computed_at=now))
    SiteStats.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["site"],
        update_fields=["active_accounts", "accounts", "database_bytes", "media_bytes", "computed_at"],
    )
    return len(rows)
