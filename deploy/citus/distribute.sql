-- Citus 12 schema-based sharding for an existing platform database (ON PAPER: Citus cannot be
-- installed on the machines this project is developed and tested on; nothing here has run).
-- See deploy/README.md, "PostgreSQL: Citus schema-based sharding", for what to settle first.
--
-- Run on the coordinator, in the platform's database, after adding the workers:
--   psql -d govsites -v ON_ERROR_STOP=1 -f deploy/citus/distribute.sql
-- Stop the web and the timers first (provisioning and refills create schemas).

CREATE EXTENSION IF NOT EXISTS citus;

-- 1. The public schema's tables (registry, console, library, audit, auth, sessions) become
--    reference tables: a copy on every node, so a site's queries can join them locally.
SELECT create_reference_table(format('%I.%I', schemaname, tablename))
FROM pg_tables
WHERE schemaname = 'public'
  AND NOT EXISTS (
      SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = format('%I.%I', schemaname, tablename)::regclass
  )
ORDER BY tablename;

-- 2. Spare schemas are cheap to remake: drop them (refill_spare_schemas clones new ones, which
--    the setting below distributes on creation).
DO $$
DECLARE spare text;
BEGIN
    FOR spare IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'spare\_%' LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', spare);
    END LOOP;
    DELETE FROM public.tenants_spareschema;
END $$;

-- 3. Every site schema and the template, each moved whole to one worker.
SELECT nspname, citus_schema_distribute(nspname::regnamespace)
FROM pg_namespace
WHERE (nspname LIKE 'site\_%')
  AND NOT EXISTS (SELECT 1 FROM pg_dist_schema d WHERE d.schemaid = pg_namespace.oid)
ORDER BY nspname;

-- 4. Schemas created from now on (provisioning) are distributed when they are created.
ALTER SYSTEM SET citus.enable_schema_based_sharding = on;
SELECT pg_reload_conf();
