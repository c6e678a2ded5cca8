"""A psycopg connection of its own, beside Django's, to the same database.

For work Django's connection cannot do: a lock that must outlive Django closing its
connection (the template refresh), or a read in one REPEATABLE READ snapshot that must
not share the caller's transaction (a site backup).
"""

import psycopg
from django.db import connection


def side_connection(**kwargs):
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"],
        **kwargs,
    )
