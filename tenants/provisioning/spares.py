"""Spare schemas: clones of the template made ahead of time, so provisioning only renames one.

Replaying the template's DDL costs PostgreSQL a few hundred milliseconds (it creates
about 400 relations). A spare is that clone made earlier, outside anyone's request,
and recorded in `SpareSchema` with the template fingerprint it was made from.
Provisioning takes the oldest spare of the current fingerprint (`FOR UPDATE SKIP
LOCKED`, so concurrent provisioning never takes the same one) and renames it to the
new site's schema in the provisioning transaction: a rename is a single catalog
update. With no spare ready, provisioning clones directly, as before.

Spares are refilled by `manage.py refill_spare_schemas` (a timer in production, and
after `make run`'s demo set-up) and by the console after it answered a provisioning
request. Spares of an older fingerprint are never taken and are dropped at the next
refill. A spare holds only the template's standard content: no site, no user, no
password; nothing routes to it.
"""

import logging
import secrets

from django.conf import settings
from django.db import connection, transaction

from ..models import SpareSchema
from . import template

logger = logging.getLogger(__name__)

SPARE_PREFIX = "spare_"


def target_count():
    return max(0, int(settings.SITE_SPARE_SCHEMAS))


def take_spare(snapshot, new_schema):
    """Rename a ready spare to `new_schema` inside the caller's transaction; False when none is ready."""
    if not connection.in_atomic_block:
        raise RuntimeError("take_spare must run inside the provisioning transaction")
    spare = (
        SpareSchema.objects.select_for_update(skip_locked=True)
        .filter(fingerprint=snapshot.fingerprint)
        .order_by("created_at", "id")
        .first()
    )
    if spare is None:
        return False
    old, new = template.checked_schema(spare.schema_name), template.checked_schema(new_schema)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{old}" RENAME TO "{new}"')
    spare.delete()
    return True


def refill(count=None, stdout=None):
    """Drop spares of an older template and clone new ones until `count` are ready.

    Each spare is made in its own transaction; one refill runs at a time across
    processes (a transaction-level advisory lock; a second caller returns at once).
    Returns the number of spares made.
    """
    count = target_count() if count is None else count
    say = (lambda msg: stdout.write(msg + "\n")) if stdout else logger.info
    snapshot = template.ensure_template(stdout=stdout)
    _drop_stale(snapshot)
    made = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('govsites.spares'))")
                if not cursor.fetchone()[0]:
                    say("另一个进程正在补充备用模式，本次跳过。")
                    break
            if SpareSchema.objects.filter(fingerprint=snapshot.fingerprint).count() >= count:
                break
            name = SPARE_PREFIX + secrets.token_hex(8)
            template.clone_template(snapshot, name)
            SpareSchema.objects.create(schema_name=name, fingerprint=snapshot.fingerprint)
        made += 1
        # A session that created many relations slows later DDL; see actions._drop_catalog_caches.
        connection.close()
    ready = SpareSchema.objects.filter(fingerprint=snapshot.fingerprint).count()
    say(f"备用模式：新建 {made} 个，现有 {ready} 个可用（目标 {count} 个）。")
    return made


def _drop_stale(snapshot):
    """Spares of another fingerprint were cloned from an older template: drop them."""
    for spare in SpareSchema.objects.exclude(fingerprint=snapshot.fingerprint):
        with transaction.atomic():
            locked = SpareSchema.objects.select_for_update(skip_locked=True).filter(pk=spare.pk).first()
            if locked is None:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{template.checked_schema(locked.schema_name)}" CASCADE')
            locked.delete()
