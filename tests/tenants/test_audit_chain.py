"""The audit trail cannot be changed or deleted through the database, and a change made behind its back
(the owner turning triggers off) is found by `verify_audit` (tenants/audit_chain.py, migration 0010)."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from tenants import audit, audit_chain
from tenants.models import AuditAction, AuditEvent
from tests.factories import StaffFactory


def event(**detail):
    return audit.record(AuditAction.SUSPEND_SITE, acting_user=None, source="198.51.100.9", **detail)


def behind_the_triggers_back(sql, params=()):
    """What the database's owner could do: triggers off for the session (superuser), then raw SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def refused(sql, params=()):
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(caught.value)


def test_the_database_refuses_to_change_or_delete_a_row_whoever_asks(db):
    row = event(reason="test")
    assert "审计记录不能修改" in refused("UPDATE tenants_auditevent SET action = 'nothing' WHERE id = %s", [row.pk])
    assert "审计记录不能修改" in refused("UPDATE tenants_auditevent SET detail = '{}' WHERE id = %s", [row.pk])
    assert "审计记录不能删除" in refused("DELETE FROM tenants_auditevent WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).update(source="203.0.113.1")
    row.refresh_from_db()
    assert (row.action, row.source) == (AuditAction.SUSPEND_SITE, "198.51.100.9")


def test_the_account_or_site_a_row_names_can_go_and_the_row_keeps_the_name(db):
    staffer, other = StaffFactory(username="likai"), StaffFactory(username="zhangsan")
    row = audit.record(AuditAction.SET_STAFF_ROLE, acting_user=staffer, username="likai")
    # What SET_NULL does when the account is deleted (Django's own cascade looks for Wagtail's
    # per-site tables, which public does not have), and what a deleted site does to its rows.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tenants_auditevent SET actor_id = NULL, site_id = NULL WHERE id = %s", [row.pk])
    row.refresh_from_db()
    assert row.actor_id is None and row.actor_label == "likai"
    reassign = "UPDATE tenants_auditevent SET actor_id = %s WHERE id = %s"
    assert "审计记录不能修改" in refused(reassign, [other.pk, row.pk]), "but not pinned on someone else"


def test_sealed_rows_verify_and_a_change_behind_the_triggers_back_is_named(db):
    rows = [event(n=n) for n in range(5)]
    assert audit_chain.seal() >= 5
    result = audit_chain.verify()
    assert result.ok and result.unsealed == 0
    sealed = AuditEvent.objects.get(pk=rows[2].pk)
    assert sealed.row_hash and sealed.prev_hash == AuditEvent.objects.get(pk=rows[1].pk).row_hash

    behind_the_triggers_back("UPDATE tenants_auditevent SET source = '10.0.0.1' WHERE id = %s", [rows[2].pk])
    result = audit_chain.verify()
    assert not result.ok and result.broken_at.pk == rows[2].pk and "被改动" in result.problem
    with pytest.raises(CommandError, match=f"记录编号 {rows[2].pk}"):
        call_command("verify_audit")


def test_a_row_removed_behind_the_triggers_back_breaks_the_link_of_the_next(db):
    rows = [event(n=n) for n in range(4)]
    audit_chain.seal()
    behind_the_triggers_back("DELETE FROM tenants_auditevent WHERE id = %s", [rows[1].pk])
    result = audit_chain.verify()
    assert result.broken_at.pk == rows[2].pk and "链接断开" in result.problem


def test_pruning_keeps_at_least_six_months_and_the_chain_still_verifies(db, settings):
    settings.AUDIT_RETENTION_DAYS = 30  # below the floor: 180 days are kept whatever the setting
    old, kept = event(age="old"), event(age="recent")
    # The old row and every row before it (other tests' committed rows) 200 days old: the start of the
    # chain, which is what pruning removes (only ever a prefix: the first row kept links to the rest).
    behind_the_triggers_back("UPDATE tenants_auditevent SET created_at = %s WHERE id <= %s",
                             [timezone.now() - timedelta(days=200), old.pk])
    youngish = event(age="100 days")
    behind_the_triggers_back("UPDATE tenants_auditevent SET created_at = %s WHERE id = %s",
                             [timezone.now() - timedelta(days=100), youngish.pk])
    audit_chain.seal()

    assert audit_chain.prune(source="cli:tests") >= 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk__in=[kept.pk, youngish.pk]).count() == 2
    pruned = AuditEvent.objects.get(action=AuditAction.PRUNE_AUDIT)
    assert pruned.detail["retention_days"] == 180
    audit_chain.seal()
    assert audit_chain.verify().ok, "the chain starts at the first row kept"
