"""The audit trail's own database owner (等保: the application cannot change or delete its own trail).

`secure(owner, app_role)` — run once by the database's administrator (a superuser), after the
migrations, as `manage.py secure_audit_table` — hands the audit table and its guard function to a
separate role, and leaves the application's role with SELECT and INSERT, and UPDATE of the five
columns the application must set: the chain fields (sealing) and the two foreign keys (clearing
the account or site a row names when that is deleted). The guard trigger (migration 0010) limits
even those: chain fields are set once, foreign keys only to NULL. The public schema moves to the
owner too, so that the application, no longer its owner, cannot drop the table; it keeps USAGE and
CREATE there for its migrations.

Pruning (`prune_audit`) is then the owner's: its timer runs with the owner's credentials
(deploy/README.md).
"""

from django.db import connection, transaction
from psycopg import sql

AUDIT_TABLE = "tenants_auditevent"
GUARD_FUNCTION = "tenants_auditevent_guard()"
APP_UPDATABLE = ["actor_id", "site_id", "chain_seq", "prev_hash", "row_hash"]


class NotAllowed(RuntimeError):
    """The connection's role cannot hand the table over (not a superuser), or a role does not exist."""


def _role_exists(cursor, role):
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def secure(owner, app_role):
    """Give the audit table to `owner` and cut `app_role` down to reading and adding rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            raise NotAllowed("须以数据库超级用户（数据库管理员）身份运行：应用自己的角色不能交出审计表的所有权")
        for role in (owner, app_role):
            if not _role_exists(cursor, role):
                raise NotAllowed(f"数据库中没有角色 {role}（请先 CREATE ROLE）")
        if owner == app_role:
            raise NotAllowed("审计表的所有者必须是应用以外的另一个角色")
        table, owner_id, app_id = sql.Identifier(AUDIT_TABLE), sql.Identifier(owner), sql.Identifier(app_role)
        for statement in (
            "ALTER TABLE {table} OWNER TO {owner}",
            "ALTER FUNCTION " + GUARD_FUNCTION + " OWNER TO {owner}",
            "ALTER SCHEMA public OWNER TO {owner}",
            "GRANT USAGE, CREATE ON SCHEMA public TO {app}",
            "REVOKE ALL ON {table} FROM {app}",
            "REVOKE ALL ON {table} FROM PUBLIC",
            "GRANT SELECT, INSERT ON {table} TO {app}",
            "GRANT UPDATE ({columns}) ON {table} TO {app}",
            "REVOKE ALL ON FUNCTION " + GUARD_FUNCTION + " FROM {app}",
        ):
            cursor.execute(sql.SQL(statement).format(
                table=table, owner=owner_id, app=app_id,
                columns=sql.SQL(", ").join(sql.Identifier(c) for c in APP_UPDATABLE),
            ))


def owner_of_table():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = %s",
                       [AUDIT_TABLE])
        row = cursor.fetchone()
    return row[0] if row else None
