"""The real server process (gunicorn with the project's config): stdlib `platform` works inside it."""

import json
import urllib.request
from urllib.parse import urlsplit


def test_stdlib_platform_works_in_the_gunicorn_worker(live_server_url):
    port = urlsplit(live_server_url).port
    request = urllib.request.Request(f"http://127.0.0.1:{port}/-/health", headers={"Host": "localhost"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback test server)
        payload = json.load(response)
    assert payload == {"status": "ok", "database": "ok", "cache": "ok", "python": "CPython"}
