"""Capture a schema's DDL from the PostgreSQL catalog, and describe a schema for comparison.

The capture runs with `search_path` set to the captured schema alone, so every
reference to the schema's own objects comes out unqualified (pg_get_constraintdef,
pg_get_expr) and the same text creates an identical schema wherever it is replayed
with another search_path. Names of constraints, indexes and sequences are kept
exactly; django-tenants' built-in clone renames UNIQUE constraints, which later
breaks migrations on cloned sites only.

Object kinds Django and Wagtail do not create (views, functions, triggers, types,
rules, policies) make the capture fail loudly rather than be silently dropped.
"""

import re
from dataclasses import dataclass, field

from psycopg import sql


class UnsupportedTemplateObject(Exception):
    """The template schema holds an object the DDL replay would not reproduce."""


@dataclass
class Capture:
    statements: list = field(default_factory=list)  # DDL before data: sequences, tables
    post_data: list = field(default_factory=list)  # after data: constraints, indexes
    tables: list = field(default_factory=list)  # [(table, [insertable columns])]
    sequences: list = field(default_factory=list)  # [sequence name]


def _ident(name):
    return '"' + name.replace('"', '""') + '"'


def _fetch(cursor, query, params=()):
    cursor.execute(query, params)
    return cursor.fetchall()


def _refuse_unsupported(cursor, schema):
    checks = {
        "views or materialised views": """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relkind IN ('v', 'm', 'f', 'p')""",
        "functions": """
            SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s""",
        "triggers": """
            SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND NOT t.tgisinternal""",
        "types": """
            SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = %s AND t.typtype IN ('e', 'd', 'r', 'm')
               OR (n.nspname = %s AND t.typtype = 'c' AND NOT EXISTS (
                    SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid
                    AND c.relkind IN ('r', 'S', 'i', 'v', 'm', 'f', 'p')))""",
        "row security policies": """
            SELECT p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s""",
        "rules": "SELECT rulename FROM pg_rules WHERE schemaname = %s",
    }
    for kind, query in checks.items():
        params = (schema, schema) if query.count("%s") == 2 else (schema,)
        found = _fetch(cursor, query, params)
        if found:
            names = ", ".join(sorted(row[0] for row in found)[:5])
            raise UnsupportedTemplateObject(
                f"The template schema {schema!r} contains {kind} ({names}); the clone does not reproduce them. "
                "Teach tenants/provisioning/ddl.py to capture them before adding them to a tenant app."
            )


def capture_schema(cursor, schema):
    """Return a Capture of `schema`. The caller's transaction should be read-only or at least not write."""
    _refuse_unsupported(cursor, schema)
    cursor.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
    capture = Capture()

    tables = _fetch(
        cursor,
        """
        SELECT c.oid, c.relname, c.reloptions, c.relpersistence
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relkind = 'r'
        ORDER BY c.relname
        """,
        (schema,),
    )

    # Sequences that are not identity sequences (e.g. serial columns or sequences made by RunSQL).
    plain_sequences = _fetch(
        cursor,
        """
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
               s.seqcache, s.seqcycle
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
        WHERE n.nspname = %s AND c.relkind = 'S'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i')
        ORDER BY c.relname
        """,
        (schema,),
    )
    for name, typ, start, inc, minv, maxv, cache, cycle in plain_sequences:
        capture.statements.append(
            f"CREATE SEQUENCE {_ident(name)} AS {typ} INCREMENT BY {inc} MINVALUE {minv} MAXVALUE {maxv} "
            f"START WITH {start} CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
        )

    # Constraints. Primary keys, unique, exclusion and check constraints go inside
    # CREATE TABLE (one statement per table instead of one per constraint); foreign
    # keys come after every table exists, and after the data is in.
    constraints = _fetch(
        cursor,
        """
        SELECT c.relname, con.conname, pg_get_constraintdef(con.oid), con.contype
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND con.contype IN ('p', 'u', 'c', 'x', 'f')
        ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 WHEN 'c' THEN 3 ELSE 4 END,
                 c.relname, con.conname
        """,
        (schema,),
    )
    inline = {}
    for table, name, definition, kind in constraints:
        clause = f"CONSTRAINT {_ident(name)} {definition}"
        if kind == "f" or "NOT VALID" in definition:
            capture.post_data.append(f"ALTER TABLE {_ident(table)} ADD {clause}")
        else:
            inline.setdefault(table, []).append(clause)

    owned_by = []
    for oid, relname, reloptions, persistence in tables:
        columns = _fetch(
            cursor,
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
                   CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
                        THEN (SELECT quote_ident(collname) FROM pg_collation WHERE oid = a.attcollation) END,
                   seq.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                   s.seqcache, s.seqcycle
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_depend dep ON dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
                 AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'i'
            LEFT JOIN pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
            LEFT JOIN pg_sequence s ON s.seqrelid = seq.oid
            WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            (oid,),
        )
        parts = []
        insertable = []
        for (name, typ, notnull, default, identity, generated, collation,
             seqname, _seqtype, start, inc, minv, maxv, cache, cycle) in columns:
            col = f"{_ident(name)} {typ}"
            if collation:
                col += f" COLLATE {collation}"
            if identity:
                kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
                col += (
                    # The sequence's type follows the column's; PostgreSQL refuses an explicit AS here.
                    f" GENERATED {kind} AS IDENTITY (SEQUENCE NAME {_ident(seqname)} "
                    f"INCREMENT BY {inc} MINVALUE {minv} MAXVALUE {maxv} START WITH {start} CACHE {cache} "
                    f"{'CYCLE' if cycle else 'NO CYCLE'})"
                )
                capture.sequences.append(seqname)
            elif generated == "s":
                col += f" GENERATED ALWAYS AS ({default}) STORED"
            elif default is not None:
                col += f" DEFAULT {default}"
            if notnull:
                col += " NOT NULL"
            parts.append(col)
            if generated != "s":
                insertable.append(name)
        unlogged = "UNLOGGED " if persistence == "u" else ""
        options = f" WITH ({', '.join(reloptions)})" if reloptions else ""
        parts.extend(inline.get(relname, []))
        capture.statements.append(f"CREATE {unlogged}TABLE {_ident(relname)} ({', '.join(parts)}){options}")
        capture.tables.append((relname, insertable))

    for name, *_ in plain_sequences:
        capture.sequences.append(name)
        owner = _fetch(
            cursor,
            """
            SELECT t.relname, a.attname FROM pg_depend d
            JOIN pg_class s ON s.oid = d.objid JOIN pg_namespace n ON n.oid = s.relnamespace
            JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE n.nspname = %s AND s.relname = %s AND d.deptype = 'a'
            """,
            (schema, name),
        )
        if owner:
            owned_by.append(f"ALTER SEQUENCE {_ident(name)} OWNED BY {_ident(owner[0][0])}.{_ident(owner[0][1])}")

    indexes = _fetch(
        cursor,
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.oid
                                             AND con.contype IN ('p', 'u', 'x'))
        ORDER BY i.relname
        """,
        (schema,),
    )
    qualified = f" ON {_ident(schema)}." if not schema.isidentifier() or schema.lower() != schema else f" ON {schema}."
    for name, definition in indexes:
        # pg_get_indexdef always schema-qualifies the table; make it relative.
        definition = definition.replace(qualified, " ON ", 1).replace(f" ON ONLY {qualified[4:]}", " ON ONLY ", 1)
        if f"{schema}." in definition:
            raise UnsupportedTemplateObject(f"Index {name} refers to its schema in an unexpected way: {definition}")
        capture.post_data.append(definition)

    capture.post_data.extend(owned_by)
    return capture


_CAST = re.compile(r"::(?:\"[^\"]+\"|[a-z_][a-z0-9_ ]*?)(?:\[\])?(?=[\s,)\]]|$)")


def normalise_expression(text):
    """Drop casts, parentheses and spaces from a deparsed expression.

    PostgreSQL deparses a re-parsed partial-index predicate differently from the
    original (`ANY ((ARRAY['a'::varchar])::text[])` comes back as
    `ANY (ARRAY[('a'::varchar)::text])`): same meaning, different text.
    """
    return re.sub(r"[()\s]", "", _CAST.sub("", text))


def schema_signature(cursor, schema):
    """Everything that must be identical between a cloned and a migrated schema.

    Tables with their columns (in order; physical attnums may have gaps where a
    migration dropped a column, which no query can observe), constraints and
    indexes by name and definition (index expressions modulo casts, see
    normalise_expression),
    sequences with their options, and recorded migrations; used by tests and by
    `verify_site_schema`.
    """
    cursor.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
    signature = {}
    signature["columns"] = _fetch(
        cursor,
        """
        SELECT c.relname, row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum), a.attname,
               format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = %s AND c.relkind = 'r'
        ORDER BY c.relname, a.attnum
        """,
        (schema,),
    )
    signature["constraints"] = _fetch(
        cursor,
        """
        SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s ORDER BY c.relname, con.conname
        """,
        (schema,),
    )
    signature["indexes"] = [
        (table, name, normalise_expression(definition.replace(f"{schema}.", "<schema>.")))
        for table, name, definition in _fetch(
            cursor,
            """
            SELECT t.relname, i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = %s ORDER BY t.relname, i.relname
            """,
            (schema,),
        )
    ]
    signature["sequences"] = _fetch(
        cursor,
        """
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
               s.seqcache, s.seqcycle
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
        WHERE n.nspname = %s ORDER BY c.relname
        """,
        (schema,),
    )
    signature["migrations"] = _fetch(cursor, "SELECT app, name FROM django_migrations ORDER BY app, name")
    signature["content_types"] = _fetch(
        cursor, "SELECT id, app_label, model FROM django_content_type ORDER BY id"
    )
    return signature
