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
refill. A bulk import (actions.import_rows) runs a `SpareMaker`: a thread that clones
spares a step ahead of the sites being provisioned, so the import mostly renames one
while another PostgreSQL backend clones the next. A spare holds only the template's
standard content: no site, no user, no password; nothing routes to it.
"""

import logging
import secrets
import threading

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
            _clone_spare(snapshot)
        made += 1
        # A session that created many relations slows later DDL; see actions._drop_catalog_caches.
        connection.close()
    ready = SpareSchema.objects.filter(fingerprint=snapshot.fingerprint).count()
    say(f"备用模式：新建 {made} 个，现有 {ready} 个可用（目标 {count} 个）。")
    return made


def _clone_spare(snapshot):
    name = SPARE_PREFIX + secrets.token_hex(8)
    template.clone_template(snapshot, name)
    SpareSchema.objects.create(schema_name=name, fingerprint=snapshot.fingerprint)
    return name


class SpareMaker:
    """Clone spares on threads of their own while the caller provisions `sites` sites one by one.

    Cloning is PostgreSQL's work (a few hundred milliseconds a schema); the caller tells
    `site_started()` before each site, and `workers` threads keep up to `AHEAD` spares ready for
    the sites still to come, so the caller mostly renames a spare while the next one is
    being cloned. Spares this maker made that are left when the caller is done (the sites
    that failed, or one cloned for a site that then took another) are dropped: the
    standing number of spares stays the refill's to decide. An error stops its thread,
    and provisioning clones on the spot as without it.

    Only for a caller that commits each site: a spare taken in an outer transaction that
    is rolled back would come back as a spare this maker can no longer see.
    """

    AHEAD = 2

    def __init__(self, snapshot, sites, workers=1):
        self.snapshot = snapshot
        self.remaining = sites
        self.made = []
        self.errors = []
        self._cloning = 0
        self._changed = threading.Condition()
        self._threads = [
            threading.Thread(target=self._run, name=f"spare-maker-{i}", daemon=True) for i in range(workers)
        ]

    def __enter__(self):
        if connection.in_atomic_block:
            raise RuntimeError("SpareMaker needs a caller that commits each site")
        for thread in self._threads:
            thread.start()
        return self

    def site_started(self):
        with self._changed:
            self.remaining -= 1
            self._changed.notify_all()

    def __exit__(self, *exc_info):
        with self._changed:
            self.remaining = 0
            self._changed.notify_all()
        for thread in self._threads:
            thread.join()
        self._drop_unused()

    def _run(self):
        try:
            while self._next():
                try:
                    with transaction.atomic():
                        self.made.append(_clone_spare(self.snapshot))
                finally:
                    with self._changed:
                        self._cloning -= 1
                    connection.close()
        except Exception as exc:  # the caller's provisioning goes on without spares
            self.errors.append(exc)
            logger.exception("备用模式后台克隆出错，导入改为逐个现场克隆")
        finally:
            connection.close()

    def _next(self):
        """Wait until another spare is wanted (True) or the caller is done (False).

        Wanted: one for each site still to come, at most AHEAD, counting those ready and
        those other threads are cloning.
        """
        while True:
            ready = SpareSchema.objects.filter(fingerprint=self.snapshot.fingerprint).count()
            with self._changed:
                if self.remaining <= 0:
                    return False
                if ready + self._cloning < min(self.remaining, self.AHEAD):
                    self._cloning += 1
                    return True
                # Woken by the next site, or after a while to count again (the caller took one).
                self._changed.wait(timeout=0.05)

    def _drop_unused(self):
        """Run on the caller's thread once every site is done (so none is taking a spare)."""
        for name in self.made:
            with transaction.atomic():
                spare = SpareSchema.objects.select_for_update(skip_locked=True).filter(schema_name=name).first()
                if spare is None:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{template.checked_schema(name)}" CASCADE')
                spare.delete()


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
