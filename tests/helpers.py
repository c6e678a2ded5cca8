"""Helpers for tests that need a second process: the CLI, or committed data outside the test transaction."""

import glob
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection, transaction

from tenants.provisioning import ddl, template

ROOT = Path(__file__).resolve().parents[1]


def test_env():
    """Environment for a child process that must use this test run's database."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["PGDATABASE"] = connection.settings_dict["NAME"]
    # A child blocked by the test's own open transaction should fail loudly, not hang the suite.
    env["PGOPTIONS"] = "-c lock_timeout=30s"
    return env


test_env.__test__ = False  # a helper, not a test, whatever its name


def run_manage(*args, check=True, timeout=300, input_text=None, env_extra=None):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=test_env() | (env_extra or {}), capture_output=True, text=True, timeout=timeout,
        input=input_text,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def provision_committed_county(name, region_code, *extra):
    """A county under 成都市 made by the CLI in its own process, so it is committed (see `committed_sites`)."""
    return run_manage(
        "provision_site", "--name", name, "--level", "county", "--parent", "510100",
        "--region-code", region_code, "--site-code", f"{region_code}0001", *extra,
    )


def raw_connection():
    """A psycopg connection of our own, outside Django's (and outside the test transaction)."""
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None, host=s["HOST"], port=s["PORT"],
        autocommit=True,
    )


_REFERENCES = """
SELECT c.conrelid::regclass::text, a.attname, a.attnotnull
FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
WHERE c.contype = 'f' AND c.confrelid = %s::regclass AND c.connamespace = 'public'::regnamespace
ORDER BY 1, 2
"""


def _remove_rows(conn, table, column, value):
    """Delete `table`'s rows where `column` = `value`, after what refers to them: rows that must refer
    are removed the same way, optional references are set to NULL (found in the catalog, so a new
    model that points at a site is cleaned up without being listed here)."""
    ids = [row[0] for row in conn.execute(f"SELECT id FROM {table} WHERE {column} = %s", [value])]  # noqa: S608
    for referrer, ref_column, required in conn.execute(_REFERENCES, [f"public.{table}"]).fetchall():
        for row_id in ids:
            if required:
                _remove_rows(conn, referrer, ref_column, row_id)
            else:
                conn.execute(f"UPDATE {referrer} SET {ref_column} = NULL WHERE {ref_column} = %s", [row_id])  # noqa: S608
    conn.execute(f"DELETE FROM {table} WHERE {column} = %s", [value])  # noqa: S608


def drop_committed_site(region_code):
    """Remove a site that another process committed: its schema, then its registry row and every
    public row that needs it (audit rows and backups keep their history, unlinked)."""
    with raw_connection() as conn:
        row = conn.execute(
            "SELECT id, schema_name FROM tenants_govsite WHERE region_code = %s", [region_code]
        ).fetchone()
        if row is None:
            return
        site_id, schema = row
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        _remove_rows(conn, "tenants_govsite", "id", site_id)


def signature(schema):
    """What must be identical between two site schemas (see tenants.provisioning.ddl.schema_signature)."""
    with transaction.atomic(), template.raw_search_path(schema) as cursor:
        return ddl.schema_signature(cursor, schema)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port, console_host="localhost"):
    """True once the console's login page renders: a worker is up and reaches the database."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        # As from the TLS front: production settings redirect plain HTTP to HTTPS.
        conn.request("GET", "/login/", headers={"Host": console_host, "X-Forwarded-Proto": "https"})
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


class ServerDidNotStart(AssertionError):
    pass


@contextmanager
def gunicorn_server(log_path, workers=2, console_host="localhost", **extra_env):
    """gunicorn with the production config serving this run's test database, in its own process group.

    Yields the Popen (its `port` attribute set). Stopped on exit (killed if it hangs), before
    pytest-django drops the test database: its workers hold connections.
    """
    port = free_port()
    env = test_env() | {
        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers), "GUNICORN_ACCESSLOG": "/dev/null",
        **extra_env,
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [gunicorn, "-c", "deploy/gunicorn/gunicorn.conf.py", "config.wsgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server.port = port
    try:
        deadline = time.monotonic() + 60
        while not _answers(port, console_host):
            if server.poll() is not None or time.monotonic() > deadline:
                log_tail = Path(log_path).read_text()[-3000:]
                raise ServerDidNotStart(f"gunicorn did not come up on port {port}:\n{log_tail}")
            time.sleep(0.2)
        yield server
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


VCL = ROOT / "deploy" / "varnish" / "default.vcl"


def _listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def varnish_server(workdir, backend_port, port=None):
    """Varnish with deploy/varnish/default.vcl, its backend pointed at `backend_port`, on a free port.

    Yields the Popen (its `port` attribute set); stopped on exit. `-j none`: no privilege
    jail, so it runs as whoever runs the tests.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    vcl = workdir / "default.vcl"
    text = VCL.read_text()
    assert '.port = "8000";' in text, "deploy/varnish/default.vcl no longer names its backend port as expected"
    vcl.write_text(text.replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = port or free_port()
    with open(workdir / "varnishd.log", "wb") as log:
        server = subprocess.Popen(
            [shutil.which("varnishd") or "/usr/sbin/varnishd", "-F", "-j", "none", "-n", str(workdir / "state"),
             "-a", f"127.0.0.1:{port}",
             "-f", str(vcl), "-s", "malloc,64m", "-T", "none"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server.port = port
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                log_tail = (workdir / "varnishd.log").read_text()[-3000:]
                raise ServerDidNotStart(f"varnishd did not come up:\n{log_tail}")
            time.sleep(0.1)
        yield server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


class EdgeEditor:
    """An editor's browser session (cookies, CSRF, forms) against a site served through the edge.

    `base` is where the requests go (the edge or nginx on 127.0.0.1), `host` the site's
    host name. Over https it sends Origin and Referer as a browser does (Django checks them
    there) and does not verify the test's own certificate — per call, because a CA bundle
    in the environment (REQUESTS_CA_BUNDLE) wins over a session's setting.
    """

    def __init__(self, base, host):
        import requests

        self.base, self.host = base, host
        self.https = base.startswith("https:")
        self.origin = f"https://{host}"
        self.session = requests.Session()
        self.session.headers["Host"] = host
        if self.https:
            self.session.headers["Origin"] = self.origin

    def get(self, path):
        return self.session.get(self.base + path, verify=not self.https)

    def post(self, path, data):
        data["csrfmiddlewaretoken"] = self.session.cookies["csrftoken"]
        headers = {"Referer": self.origin + path} if self.https else {}
        return self.session.post(self.base + path, data=data, allow_redirects=False, headers=headers,
                                 verify=not self.https)

    def sign_in(self, password, username="admin"):
        """The login page, then the code page with a code of a new app (tests.two_factor); returns the
        login page's answer."""
        from tests.two_factor import fresh_code, schema_of_host

        self.get("/admin/login/")  # the CSRF cookie
        code = fresh_code(schema_of_host(self.host), username)
        response = self.post("/admin/login/", {"username": username, "password": password})
        if response.status_code == 302:
            verified = self.post("/admin/two-factor/verify/", {"code": code})
            assert verified.status_code == 302, f"the code was refused: {verified.status_code}"
        return response

    def publish_article(self, parent_id, *, title, slug, body):
        """POST the admin's add-page form with its own fields, as the browser would, and publish."""
        from wagtail.test.utils.form_data import querydict_from_html, rich_text

        path = f"/admin/pages/add/columns/articlepage/{parent_id}/"
        data = querydict_from_html(self.get(path).text, form_id="page-edit-form")
        data.update({"title": title, "slug": slug, "body": rich_text(body), "action-publish": "action-publish"})
        return self.post(path, data)

    def delete_page(self, page_id):
        return self.post(f"/admin/pages/{page_id}/delete/", {})


# A PostgreSQL of a test's own ------------------------------------------------------------------

def _pg_bin(name):
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[::-1]), None)
    if found is None:
        raise AssertionError(f"{name} not found: install PostgreSQL's server binaries (Debian: postgresql)")
    return found


class PostgresCluster:
    """A PostgreSQL cluster of a test's own (initdb in a folder, a free port): stopped and started at will."""

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


def manage_with(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def private_site(cluster, database, host):
    """A database on `cluster`, migrated, with one site (四川省) on `host`; returns (host, gunicorn env)."""
    env = dict(os.environ) | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test", "PGHOST": "127.0.0.1", "PGPORT": str(cluster.port),
        "PGDATABASE": database, "PGUSER": "postgres",
    }
    subprocess.run(
        [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", database],
        check=True, capture_output=True, timeout=60,
    )
    manage_with(env, "migrate_schemas", "--noinput", "-v", "0")
    manage_with(env, "provision_site", "--name", "四川省", "--level", "province", "--region-code", "510000",
                "--site-code", "5100000001", "--domain", host)
    return host, {k: env[k] for k in ("PGHOST", "PGPORT", "PGDATABASE")}


def work_off_jobs():
    """Run every queued job as the job worker does, in this process, then stop.

    The claim and the run are django-tasks-db's own (DBTaskResult.claim, Worker.run_task); its
    loop is not used, because it closes the connection between tasks, and with it a test's transaction.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from tenants import jobs

    worker = Worker(
        queue_names=[jobs.QUEUE], interval=0, batch=True, backend_name="jobs", startup_delay=False, max_tasks=None,
        worker_id="tests", excluded_queue_names=[],
    )
    while True:
        with transaction.atomic():
            task_result = DBTaskResult.objects.ready().filter(backend_name="jobs", queue_name=jobs.QUEUE).get_locked()
            if task_result is None:
                break
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)
    connection.set_schema_to_public()


def job_page_once_run(client, response):
    """The job page a console POST (followed) led to, once the job worker has run what was queued."""
    assert response.redirect_chain and "/jobs/" in response.redirect_chain[-1][0], (
        f"the console did not hand the operation to a job:\n{response.content.decode()[:2000]}"
    )
    work_off_jobs()
    return client.get(response.redirect_chain[-1][0]).content.decode()
