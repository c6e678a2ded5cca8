"""Making new site schemas fast: a migrated template schema, captured once as DDL, replayed per site."""
