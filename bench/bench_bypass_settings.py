"""The bench settings with the tenant routing middleware swapped for a fixed-site one.

The baseline of the requests/s comparison: the same page from the same schema, with
no per-request host look-up or schema switch (see bench_middleware.py).
"""

import os

from bench_settings import *  # noqa: F403

# The host whose site serves every request, whatever its Host header; run.py passes the
# host it benchmarks.
BENCH_FIXED_HOST = os.environ["BENCH_FIXED_HOST"]

MIDDLEWARE = [
    "bench_middleware.FixedSiteMiddleware" if name == "tenants.middleware.SiteRoutingMiddleware" else name
    for name in MIDDLEWARE  # noqa: F405
]
