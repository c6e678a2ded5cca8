"""`migrate` is `migrate_schemas` on this platform (test databases are created through it too)."""

from .migrate_schemas import Command  # noqa: F401
