"""With PostgreSQL down the edge keeps serving the pages it has, and a failed answer never replaces one.

A private PostgreSQL of the test's own (never the shared one) under gunicorn and Varnish with
deploy/varnish/default.vcl; pages are kept 1 s (EDGE_CACHE_SHARED_MAX_AGE) so they are stale at once.
"""

import time

import pytest

from tests.edge.test_purge import fetch
from tests.helpers import free_port, gunicorn_server, private_site, varnish_server

pytestmark = pytest.mark.slow


def test_the_edge_serves_its_copy_while_the_database_is_down(private_postgres, tmp_path):
    host, server_env = private_site(private_postgres, "grace_test", "grace.localhost")
    varnish_port = free_port()
    with gunicorn_server(tmp_path / "gunicorn.log", workers=1, EDGE_CACHE_SHARED_MAX_AGE="1",
                         EDGE_CACHE_PURGE_LOCATIONS=f"http://127.0.0.1:{varnish_port}", **server_env) as app, \
            varnish_server(tmp_path / "varnish", app.port, port=varnish_port):
        status, headers, page = fetch(varnish_port, host, "/")
        assert status == 200 and "四川省人民政府" in page and headers["x-cache"] == "MISS"

        private_postgres.stop()
        time.sleep(1.5)  # the copy's TTL has run out: it is served from grace while a fetch is tried
        for _ in range(4):
            status, headers, body = fetch(varnish_port, host, "/")
            assert status == 200 and body == page, "the visitor got the app's failure instead of the page"
            time.sleep(0.5)  # the background fetch has failed by now
        assert fetch(varnish_port, host, "/xwdt/")[0] >= 500, "a page the edge never had cannot be served"

        private_postgres.pg_ctl("start")
        time.sleep(1.5)
        fetch(varnish_port, host, "/")  # served stale once more; its background fetch succeeds
        status, headers, _ = fetch(varnish_port, host, "/")
        assert status == 200 and headers["x-cache"] == "HIT"
