"""Messages survive a PostgreSQL restart between submissions, and the platform reconnects by itself.

The test runs its own PostgreSQL cluster (initdb in a temporary folder, on a free
port) so it can restart it without disturbing the shared server other test runs
use: it migrates it, provisions one site through the CLI, serves it with gunicorn,
submits a message, restarts PostgreSQL (`pg_ctl restart -m fast`), submits another,
and looks both up.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, free_port, gunicorn_server
from tests.interaction.test_durability import Citizen

pytestmark = pytest.mark.slow


def _pg_bin(name):
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[::-1]), None)
    if found is None:
        pytest.fail(f"{name} not found: install PostgreSQL's server binaries (Debian: postgresql)")
    return found


class Cluster:
    def __init__(self, base):
        self.port = free_port()
        self.data = base / "pgdata"
        self.as_root = os.geteuid() == 0
        if self.as_root:  # initdb refuses to run as root: the cluster belongs to the postgres account
            shutil.chown(base, "postgres")
        self.log = base / "postgres.log"

    def run(self, *command):
        command = [str(c) for c in command]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def pg_ctl(self, *args):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        self.run(_pg_bin("pg_ctl"), "-D", self.data, "-o", options, "-l", self.log, "-w", *args)

    def start(self):
        self.run(_pg_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.pg_ctl("start")

    def stop(self):
        self.pg_ctl("stop", "-m", "immediate")


@pytest.fixture
def private_postgres():
    # Not pytest's tmp_path: its folders are private to the user running the tests, and the
    # cluster runs as `postgres` when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="govsites-pg-"))
    cluster = Cluster(base)
    try:
        cluster.start()
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def lookup(port, host, code, password):
    citizen = Citizen(port, host, "lookup")
    cookie, token = citizen._token()
    fields = {"csrfmiddlewaretoken": token, "tracking_code": code, "password": password}
    return citizen.post("/hdjl/ldxx/query/", cookie, fields)


def submit(port, host, subject):
    citizen = Citizen(port, host, "restart")
    cookie, token = citizen._token()
    status, html = citizen.post("/hdjl/ldxx/", cookie, {
        "csrfmiddlewaretoken": token, "category": "enquiry", "subject": subject,
        "body": "重启数据库前后各提交一封。", "phone": "028-12345678", "captcha_0": "k", "captcha_1": "PASSED",
    })
    assert status == 200, html[:2000]
    code = re.search(r'id="tracking-code">([0-9A-Z]+)<', html).group(1)
    password = re.search(r'id="query-password">([0-9A-Z]+)<', html).group(1)
    return code, password


def test_messages_survive_a_postgres_restart_between_submissions(private_postgres, tmp_path):
    env = dict(os.environ) | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test", "PGHOST": "127.0.0.1",
        "PGPORT": str(private_postgres.port), "PGDATABASE": "restart_test", "PGUSER": "postgres",
    }
    subprocess.run(
        [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(private_postgres.port), "-U", "postgres", "restart_test"],
        check=True, capture_output=True, timeout=60,
    )
    manage(env, "migrate_schemas", "--noinput", "-v", "0")
    manage(env, "provision_site", "--name", "四川省", "--level", "province", "--region-code", "510000",
           "--site-code", "5100000001", "--domain", "restart.localhost")
    host = "restart.localhost"
    server_env = {k: env[k] for k in ("PGHOST", "PGPORT", "PGDATABASE")}
    with gunicorn_server(tmp_path / "gunicorn.log", workers=1, **server_env) as server:
        first = submit(server.port, host, "重启前的留言")
        private_postgres.pg_ctl("restart", "-m", "fast")
        second = submit(server.port, host, "重启后的留言")
        for (code, password), subject in ((first, "重启前的留言"), (second, "重启后的留言")):
            status, html = lookup(server.port, host, code, password)
            assert status == 200 and subject in html
