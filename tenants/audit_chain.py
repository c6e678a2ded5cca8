"""The audit trail as a hash chain: sealed, verified, pruned after its retention (等保: audit protected
from change and deletion, kept at least six months).

Rows are written as they happen, unsealed (writing never waits on the chain: a login does not queue
behind a restore's long transaction). `seal` links the committed unsealed rows, in id order, one
after the last sealed row: each gets the next `chain_seq`, the previous row's hash, and its own
hash, SHA-256 over the previous hash and the row's recorded fields. The sealing timer runs it every
minute (`seal_audit`). Before sealing, the database trigger (migration 0010) already refuses any
change or deletion; after it, a change made behind the trigger's back (by the database owner, with
triggers off) breaks the chain, and `verify` names the first row where it breaks.

Pruning (`prune`) removes sealed rows older than AUDIT_RETENTION_DAYS (never fewer than 180) in
chain order, and records itself as a row: the chain then starts at the first row kept, whose link
to what was pruned is taken as given.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import audit
from .models import AuditAction, AuditEvent

# Advisory lock: one sealer at a time (namespace of tenants' locks: 48_112...).
SEAL_LOCK = 48_115
BATCH = 2_000
MIN_RETENTION_DAYS = 180


def row_hash(event, previous):
    """The hash of one row: its recorded fields (not its foreign keys, which deletions may clear) after `previous`."""
    fields = {
        "id": event.id,
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_label,
        "action": event.action,
        "site": event.site_label,
        "source": event.source,
        "detail": event.detail,
    }
    text = previous + "\n" + json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def seal():
    """Link every committed unsealed row into the chain; returns how many were sealed."""
    sealed = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
            last = AuditEvent.objects.filter(chain_seq__isnull=False).order_by("-chain_seq").first()
            seq, previous = (last.chain_seq, last.row_hash) if last else (0, "")
            batch = list(AuditEvent.objects.filter(chain_seq__isnull=True).order_by("id")[:BATCH])
            for event in batch:
                seq += 1
                event.chain_seq, event.prev_hash = seq, previous
                event.row_hash = previous = row_hash(event, previous)
            AuditEvent.objects.bulk_update(batch, ["chain_seq", "prev_hash", "row_hash"])
        sealed += len(batch)
        if len(batch) < BATCH:
            return sealed


@dataclass
class Verification:
    checked: int
    unsealed: int
    broken_at: AuditEvent | None = None
    problem: str = ""

    @property
    def ok(self):
        return self.broken_at is None


def verify():
    """Recompute the chain from its first kept row; the first row whose hash or link does not hold, if any."""
    checked, expected_previous = 0, None
    for event in AuditEvent.objects.filter(chain_seq__isnull=False).order_by("chain_seq").iterator(chunk_size=BATCH):
        if expected_previous is not None and event.prev_hash != expected_previous:
            return Verification(checked, _unsealed(), event, "与前一条记录的链接断开：前一条记录被删除、替换或改动")
        if row_hash(event, event.prev_hash) != event.row_hash:
            return Verification(checked, _unsealed(), event, "记录内容与封存时不一致：这条记录被改动")
        expected_previous = event.row_hash
        checked += 1
    return Verification(checked, _unsealed())


def _unsealed():
    return AuditEvent.objects.filter(chain_seq__isnull=True).count()


def retention_days():
    return max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)


def prune(*, source=""):
    """Remove sealed rows older than the retention, oldest first; records itself. Returns how many went."""
    cutoff = timezone.now() - timedelta(days=retention_days())
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
            # Only a prefix of the chain goes: the first row kept still links to the last one removed.
            first_kept = (AuditEvent.objects.filter(chain_seq__isnull=False, created_at__gte=cutoff)
                          .order_by("chain_seq").values_list("chain_seq", flat=True).first())
            doomed = AuditEvent.objects.filter(chain_seq__isnull=False, created_at__lt=cutoff)
            if first_kept is not None:
                doomed = doomed.filter(chain_seq__lt=first_kept)
            cursor.execute("SET LOCAL govsites.audit_prune = 'on'")
            removed, _ = doomed.delete()
            cursor.execute("SET LOCAL govsites.audit_prune = 'off'")
        if removed:
            audit.record(AuditAction.PRUNE_AUDIT, acting_user=None, source=source, removed=removed,
                         before=cutoff.isoformat(), retention_days=retention_days())
    return removed
