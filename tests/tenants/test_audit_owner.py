"""The application's database role can only read and add audit rows once the trail has its own owner
(tenants/audit_privileges.py): every change, deletion, trigger or table change it tries is refused by
PostgreSQL itself; the owner's pruning still works.

Roles and grants are made inside the test's transaction (PostgreSQL's DDL is transactional) and the
statements run under `SET ROLE`, so nothing outlives the test.
"""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from tenants import audit, audit_chain, audit_privileges
from tenants.models import AuditAction

APP, OWNER = "govsites_app_t", "govsites_audit_t"


@pytest.fixture
def roles(db):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP} NOLOGIN; CREATE ROLE {OWNER} NOLOGIN")
        # As in production before the hand-over: the application's role made (owns) the public schema's tables.
        cursor.execute(f"ALTER TABLE tenants_auditevent OWNER TO {APP}")
        cursor.execute(f"ALTER FUNCTION tenants_auditevent_guard() OWNER TO {APP}")
        cursor.execute(f"ALTER SCHEMA public OWNER TO {APP}")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {APP}, {OWNER}")
    yield


def as_role(role, statement, params=()):
    """Run `statement` as `role`; the error's text, or None when it went through."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute(statement, params)
    except DatabaseError as exc:
        return str(exc)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    return None


def row():
    return audit.record(AuditAction.SUSPEND_SITE, acting_user=None, source="198.51.100.9")


def test_before_the_hand_over_the_owning_application_could_remove_the_guard(roles):
    """Why the table needs another owner: the trigger alone is no wall against its own table's owner."""
    assert as_role(APP, "ALTER TABLE tenants_auditevent DISABLE TRIGGER tenants_auditevent_guard") is None


def test_after_the_hand_over_the_application_only_reads_and_adds(roles):
    call_command("secure_audit_table", owner=OWNER, app_role=APP, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert audit_privileges.owner_of_table() == OWNER
    sealed = row()
    audit_chain.seal()
    target = [sealed.pk]

    assert as_role(APP, "SELECT count(*) FROM tenants_auditevent") is None
    assert as_role(APP, "INSERT INTO tenants_auditevent (created_at, actor_label, action, site_label, detail, source, "
                        "prev_hash, row_hash) VALUES (now(), 'x', 'login', '', '{}', '', '', '')") is None
    # An account or site a row names was deleted: its key is cleared, the row keeps the name.
    assert as_role(APP, "UPDATE tenants_auditevent SET actor_id = NULL WHERE id = %s", target) is None
    for statement in (
        "UPDATE tenants_auditevent SET action = 'nothing' WHERE id = %s",
        "UPDATE tenants_auditevent SET source = '203.0.113.1', detail = '{}' WHERE id = %s",
        "DELETE FROM tenants_auditevent WHERE id = %s",
    ):
        assert "permission denied" in as_role(APP, statement, target), statement
    assert "审计记录不能修改" in as_role(APP, "UPDATE tenants_auditevent SET row_hash = '' WHERE id = %s", target)
    for statement in (
        "TRUNCATE tenants_auditevent",
        "ALTER TABLE tenants_auditevent DISABLE TRIGGER tenants_auditevent_guard",
        "DROP TRIGGER tenants_auditevent_guard ON tenants_auditevent",
        "DROP TABLE tenants_auditevent",
        "CREATE OR REPLACE FUNCTION tenants_auditevent_guard() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NEW; END $$",
        "SET session_replication_role = replica",
    ):
        assert as_role(APP, statement) is not None, statement
    sealed.refresh_from_db()
    assert sealed.action == AuditAction.SUSPEND_SITE and sealed.source == "198.51.100.9"
    assert audit_chain.verify().ok

    # The owner prunes (the retention job), behind the same trigger.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # (superuser) age the row for the test
        cursor.execute("UPDATE tenants_auditevent SET created_at = %s WHERE id <= %s",
                       [timezone.now() - timedelta(days=400), sealed.pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    assert "permission denied" in as_role(APP, "SET LOCAL govsites.audit_prune = 'on'; "
                                               "DELETE FROM tenants_auditevent WHERE id = %s", target)
    assert as_role(OWNER, "SET LOCAL govsites.audit_prune = 'on'; DELETE FROM tenants_auditevent WHERE id = %s",
                   target) is None


def test_the_hand_over_explains_what_it_needs(roles):
    with pytest.raises(CommandError, match="数据库中没有角色 nobody_here"):
        call_command("secure_audit_table", owner="nobody_here", app_role=APP)
    with pytest.raises(CommandError, match="必须是应用以外的另一个角色"):
        call_command("secure_audit_table", owner=APP, app_role=APP)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP}")
        try:
            with pytest.raises(CommandError, match="须以数据库超级用户"):
                call_command("secure_audit_table", owner=OWNER, app_role=APP)
        finally:
            cursor.execute("RESET ROLE")
    assert audit_privileges.owner_of_table() == APP
