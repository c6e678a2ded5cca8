"""Settings of every benchmark child process (`make bench`): the dev settings, made fit for timing.

bench/run.py puts bench/ on PYTHONPATH and points PGDATABASE at its own throwaway
database, so nothing here can reach the dev database `govsites`. ALLOWED_HOSTS,
the static files set-up and everything else not listed stay as in base.py/dev.py;
each value below says why it differs or why it is pinned.
"""


from config.settings.dev import *  # noqa: F403

# Throughput with DEBUG on would measure Django's query log, not the platform.
DEBUG = False
# base.py's default, pinned: the tenancy figures include the per-worker host cache exactly
# as production runs it, whatever TENANT_ROUTE_CACHE_SECONDS the caller's shell exports.
TENANT_ROUTE_CACHE_SECONDS = 5
# base.py's persistent connections, pinned against PG_CONN_MAX_AGE in the caller's shell:
# a connection per request would cost more than the routing being measured.
DATABASES["default"]["CONN_MAX_AGE"] = 3600  # noqa: F405
# Warnings only: provisioning by migrating logs a line per page it creates, burying the progress output.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The beacon benchmark posts from one address (wrk): counted as in production, never reached.
ANALYTICS_BEACON_RATE = "100000000/m"
