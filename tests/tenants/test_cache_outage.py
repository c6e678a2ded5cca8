"""Redis down costs speed, never pages: a private Redis of the test's own is stopped under a running gunicorn.

Never the machine's shared Redis: this test starts redis-server on a free port, points
gunicorn's cache at it (TEST_REDIS_URL), and stops and starts it again.
"""

import http.client
import json
import shutil
import subprocess
import time

import pytest

from tests.helpers import free_port, gunicorn_server
from tests.interaction.test_durability import CODE, MAILBOX, Citizen, clear_messages, stored_messages

pytestmark = pytest.mark.slow
PAGES = ["/", "/xwdt/", "/hdjl/ldxx/", "/sitemap/", "/search/?q=%E9%94%A6%E6%B1%9F", "/hdjl/ldxx/query/"]


class PrivateRedis:
    def __init__(self, workdir):
        self.port, self.workdir, self.process = free_port(), workdir, None

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=0.2).connect()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the private redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def get(port, host, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def submit(port, host, subject):
    citizen = Citizen(port, host, "outage")
    cookie, token = citizen._token()
    status, html = citizen.post(MAILBOX, cookie, {
        "csrfmiddlewaretoken": token, "category": "enquiry", "subject": subject, "body": "缓存故障时的留言。",
        "phone": "028-12345678", "captcha_0": "k", "captcha_1": "PASSED",
    })
    match = CODE.search(html)
    return status, match.group(1) if match else None


def test_with_redis_stopped_every_page_and_the_mailbox_keep_working(fixture_sites, django_db_blocker, tmp_path):
    county = fixture_sites["county"]
    redis = PrivateRedis(tmp_path)
    redis.start()
    try:
        with django_db_blocker.unblock(), gunicorn_server(
            tmp_path / "gunicorn.log", TEST_REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        ) as server:
            for path in PAGES:
                assert get(server.port, county.host, path)[0] == 200, path
            health = json.loads(get(server.port, "localhost", "/-/health")[1])
            assert health["cache"] == "ok" and health["status"] == "ok"

            redis.stop()
            for path in PAGES:
                status, _ = get(server.port, county.host, path)
                assert status == 200, f"{path} answered {status} with Redis down"
            assert "锦江区人民政府" in get(server.port, county.host, "/")[1]
            status, code = submit(server.port, county.host, "缓存故障")
            assert status == 200 and code, "the mailbox took no message with Redis down"
            assert stored_messages(county.schema)["缓存故障"] == code
            status, body = get(server.port, "localhost", "/-/health")
            assert status == 200 and json.loads(body) == {
                "status": "degraded", "database": "ok", "cache": "unavailable", "python": "CPython"}
            assert get(server.port, "localhost", "/login/")[0] == 200, "the console too"

            redis.start()
            time.sleep(5.5)  # the node asks Redis again after its retry interval
            assert json.loads(get(server.port, "localhost", "/-/health")[1])["status"] == "ok"
    finally:
        if redis.process.poll() is None:
            redis.stop()
        with django_db_blocker.unblock():
            clear_messages(county.schema)
