"""The template schema new sites are cloned from.

It is a real, migrated site schema holding the standard column skeleton, the
default groups and a placeholder Wagtail Site. Its DDL is captured once per
migration state (`TemplateSnapshot`); provisioning replays that DDL and copies the
template's rows in one transaction.

The template is refreshed automatically: when the migration files on disk differ
from what the snapshot was taken from, the next provisioning migrates the
template first and captures a new snapshot.
"""

import hashlib
import logging
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Page, Site

from .. import signals
from ..db.side import side_connection
from ..models import GovSite, TemplateSnapshot
from . import ddl
from .site_groups import ensure_review_workflow, ensure_site_groups

logger = logging.getLogger(__name__)

# Bump when the seed data below changes in a way existing snapshots should not keep.
SEED_VERSION = "7"
TEMPLATE_HOSTNAME = "site-template.invalid"


class TemplateError(Exception):
    """The template schema cannot be prepared; nothing was provisioned."""


def template_schema():
    return settings.SITE_TEMPLATE_SCHEMA


@lru_cache(maxsize=1)
def migration_fingerprint():
    """A hash of every migration file of the tenant apps, the seed version and the capture code.

    Computed once per process: code does not change under a running process.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    digest = hashlib.sha256(SEED_VERSION.encode())
    # A change to how the DDL is captured makes existing snapshots stale too.
    digest.update(Path(ddl.__file__).read_bytes())
    labels = _tenant_labels()
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        if app_label not in labels:
            continue
        digest.update(f"{app_label}.{name}\n".encode())
        module = __import__(migration.__module__, fromlist=["_"])
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def _tenant_labels():
    labels = set()
    for config in apps.get_app_configs():
        if config.name in settings.TENANT_APPS:
            labels.add(config.label)
    return labels


def disk_migrations():
    """(app, name) of every migration of every installed app, as the code on disk has them."""
    return set(MigrationLoader(None, ignore_no_migrations=True, load=True).disk_migrations)


def required_migrations():
    """(app, name) of every migration a site schema must have applied."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    labels = _tenant_labels()
    return {key for key in loader.disk_migrations if key[0] in labels}


@contextmanager
def raw_search_path(schema):
    """A cursor whose search_path is `schema` for the enclosing transaction only."""
    if not connection.in_atomic_block:
        raise RuntimeError("raw_search_path needs a transaction")
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        # SET LOCAL lasts to the end of the transaction; the backend must issue its
        # own SET again on the next cursor (see tenants/db/base.py).
        connection.forget_search_path()


def current_snapshot():
    return TemplateSnapshot.objects.filter(fingerprint=migration_fingerprint()).first()


def ensure_template(stdout=None):
    """Return a TemplateSnapshot for the current code, building or refreshing the template if needed."""
    snapshot = current_snapshot()
    if snapshot is not None and schema_exists(template_schema()):
        return snapshot
    return refresh_template(stdout=stdout)


@contextmanager
def _refresh_lock():
    """One template refresh at a time, across processes.

    A session-level advisory lock on a connection of its own: Django's connection is
    closed by the migration executor halfway through, which would drop a lock held there.
    """
    with side_connection(autocommit=True) as lock_conn:
        lock_conn.execute("SELECT pg_advisory_lock(hashtext('govsites.template'))")
        try:
            yield
        finally:
            lock_conn.execute("SELECT pg_advisory_unlock(hashtext('govsites.template'))")


def refresh_template(stdout=None):
    """Create or migrate the template schema, seed it, and capture a new snapshot.

    Provisioning waits on the lock rather than cloning a half-migrated template;
    whoever gets the lock second finds the fresh snapshot and returns it.
    """
    with _refresh_lock():
        snapshot = current_snapshot()
        if snapshot is not None and schema_exists(template_schema()):
            return snapshot
        return _rebuild_template(stdout)


def _rebuild_template(stdout):
    schema = checked_schema(template_schema())
    say = (lambda msg: stdout.write(msg + "\n")) if stdout else logger.info
    created = not schema_exists(schema)
    if created:
        say(f"正在创建站点模板 {schema}（运行全部迁移，只需一次）…")
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    else:
        say(f"迁移文件已变化，正在刷新站点模板 {schema} …")
    try:
        call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=0)
    except Exception as exc:
        raise TemplateError(f"站点模板 {schema} 迁移失败：{exc}") from exc
    finally:
        connection.set_schema_to_public()

    with transaction.atomic():
        with schema_context(schema):
            seed_site_content()
        with raw_search_path(schema) as cursor:
            capture = ddl.capture_schema(cursor, schema)
            data_tables = []
            for table, columns in capture.tables:
                cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}")')  # noqa: S608 (catalog names)
                if cursor.fetchone()[0]:
                    data_tables.append([table, columns])
        TemplateSnapshot.objects.all().delete()
        snapshot = TemplateSnapshot.objects.create(
            fingerprint=migration_fingerprint(),
            create_statements=capture.statements,
            post_data_statements=capture.post_data,
            data_tables=data_tables,
            sequences=capture.sequences,
        )
    connection.set_schema_to_public()
    say(f"站点模板已就绪（{len(capture.tables)} 张表，{len(data_tables)} 张含初始数据）。")
    return snapshot


def seed_site_content():
    """Standard content of every new site: the default groups, the review workflow, every app's part of
    the standard (the column skeleton above all), and a placeholder Wagtail Site on the home page.

    Runs in the template schema (and in a freshly migrated schema on the benchmark's
    migrate path). Idempotent: re-running after a template migration leaves existing
    seed data alone and adds only what the standard gained.
    """
    apply_site_standard()
    home = Page.objects.filter(depth=2).order_by("path").first()
    if home is None:
        raise TemplateError("no app answered apply_site_standard with a home page (is columns installed?)")
    Site.objects.all().exclude(root_page=home).delete()
    Site.objects.update_or_create(
        root_page=home,
        defaults={"hostname": TEMPLATE_HOSTNAME, "port": 80, "is_default_site": True, "site_name": "{site}"},
    )
    ensure_review_workflow()


def apply_site_standard():
    """Give the current site (or the template) the default groups and whatever each app's standard asks.

    Returns what the apps say they added (the titles of new standard columns). The template
    gets it at every refresh, existing sites through `for_each_site update_site_standard`.
    """
    ensure_site_groups()
    responses = signals.apply_site_standard.send(sender=GovSite)
    return [name for _receiver, added in responses for name in (added or ())]


_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def checked_schema(name):
    """Schema names go into SQL as identifiers: only plain lower-case names are accepted."""
    if not _SCHEMA_NAME.fullmatch(name) or name.startswith("pg_"):
        raise ValueError(f"invalid schema name {name!r}")
    return name


def replay_sql(snapshot, new_schema):
    """The SQL that creates `new_schema` as a copy of the template.

    Schema names are checked identifiers; table, column and sequence names come from
    the template's catalog. No user input reaches this text.
    """
    template = checked_schema(template_schema())
    new_schema = checked_schema(new_schema)
    quoted_new = f'"{new_schema}"'
    parts = [f"CREATE SCHEMA {quoted_new}", f"SET LOCAL search_path TO {quoted_new}"]
    parts.extend(snapshot.create_statements)
    for table, columns in snapshot.data_tables:
        cols = ", ".join(f'"{c}"' for c in columns)
        parts.append(
            f'INSERT INTO "{table}" ({cols}) OVERRIDING SYSTEM VALUE SELECT {cols} FROM "{template}"."{table}"'  # noqa: S608
        )
    parts.extend(snapshot.post_data_statements)
    for seq in snapshot.sequences:
        parts.append(
            f"SELECT setval('{new_schema}.\"{seq}\"', last_value, is_called) FROM \"{template}\".\"{seq}\""  # noqa: S608
        )
    return ";\n".join(parts) + ";\n"


def clone_template(snapshot, new_schema):
    """Create `new_schema` from the snapshot inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("clone_template must run inside the provisioning transaction")
    with raw_search_path(new_schema) as cursor:
        cursor.execute(replay_sql(snapshot, new_schema))
