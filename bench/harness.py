"""Processes the benchmarks drive: the throwaway database, Django child steps, gunicorn and wrk.

Everything is bounded in time and talks to 127.0.0.1 only. Child processes are
started by this module and stopped by their own id (or their own process group).
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
LOCALHOST = "127.0.0.1"
# Only names like govsites_bench: a typo must never drop the dev or a test database.
SAFE_DB_NAME = re.compile(r"[a-z0-9_]*bench[a-z0-9_]*")


def say(message):
    """Progress for the human watching; stdout carries only the figures."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A benchmark step failed; the message says which and shows the end of its output."""


def _admin_connection():
    return psycopg.connect(
        dbname="postgres", host=os.environ.get("PGHOST", LOCALHOST), port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "postgres"), password=os.environ.get("PGPASSWORD") or None,
        autocommit=True, connect_timeout=10,
    )


def check_db_name(name):
    if not SAFE_DB_NAME.fullmatch(name):
        raise BenchError(f"refusing database name {name!r}: benchmark databases must contain 'bench'")
    return name


def create_database(name):
    """Create `name` empty, dropping a leftover of an interrupted run first."""
    drop_database(name)
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{check_db_name(name)}"')


def database_exists(name):
    with _admin_connection() as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [check_db_name(name)]).fetchone()
    return row is not None


def drop_database(name):
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{check_db_name(name)}" WITH (FORCE)')


class Django:
    """Runs Django child processes (bench/steps.py, manage.py) against the bench database."""

    def __init__(self, database):
        self.database = database

    def env(self, settings="bench_settings", **extra):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE=settings,
            PGDATABASE=self.database,
            PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "platform"), str(BENCH_DIR)]),
            **extra,
        )
        # A child stuck on a lock fails instead of eating the time budget.
        env["PGOPTIONS"] = "-c lock_timeout=60s"
        return env

    def step(self, *args, timeout, settings="bench_settings", **env):
        """Run `bench/steps.py ARGS`; return the JSON object it printed. Its stderr passes through."""
        try:
            result = subprocess.run(
                [sys.executable, str(BENCH_DIR / "steps.py"), *args], cwd=ROOT, env=self.env(settings, **env),
                stdout=subprocess.PIPE, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise BenchError(f"step {' '.join(args)} took longer than {timeout} s") from exc
        if result.returncode != 0:
            raise BenchError(f"step {' '.join(args)} failed ({result.returncode}); see its traceback above")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def manage(self, *args, timeout):
        """Run `manage.py ARGS`; return its wall-clock seconds and its output (stdout and stderr)."""
        started = time.perf_counter()
        try:
            result = subprocess.run(
                [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(),
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise BenchError(f"manage.py {' '.join(args)} took longer than {timeout} s") from exc
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            raise BenchError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-3000:]}")
        return elapsed, result.stdout


def source_revision():
    """`git describe --always --dirty` of the checkout, or None outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None


def free_port():
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return sock.getsockname()[1]


def fetch(port, host, path="/", timeout=5, headers=None):
    """(status, body) of one GET to 127.0.0.1:port with the given Host header (and any others)."""
    conn = http.client.HTTPConnection(LOCALHOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Gunicorn:
    """One gunicorn (sync workers, no access log) serving config.wsgi on a free 127.0.0.1 port."""

    START_TIMEOUT = 60

    def __init__(self, django, settings, workers, **env):
        self.port = free_port()
        self.settings = settings
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{settings}-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi:application",
                "--bind", f"{LOCALHOST}:{self.port}", "--workers", str(workers), "--worker-class", "sync",
                "--pythonpath", ".,platform,bench",
                "--no-control-socket", "--error-logfile", "-", "--timeout", "30",
            ],
            cwd=ROOT, env=django.env(settings, **env), stdout=self.log, stderr=subprocess.STDOUT,
            # Its own process group, so stop() reaches the workers even if the arbiter is stuck.
            start_new_session=True,
        )

    def wait_ready(self, host):
        """Wait until the home page of `host` answers 200; return its body."""
        deadline = time.monotonic() + self.START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn ({self.settings}) exited:\n{self.log_tail()}")
            try:
                status, body = fetch(self.port, host)
            except OSError:
                time.sleep(0.2)
                continue
            if status != 200:
                raise BenchError(f"gunicorn ({self.settings}) answered {status} for {host}:\n{self.log_tail()}")
            return body
        raise BenchError(f"gunicorn ({self.settings}) did not answer within {self.START_TIMEOUT} s")

    def log_tail(self):
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def stop(self):
        """Quick shutdown (SIGQUIT to the arbiter); SIGKILL to its own process group if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def wrk(port, host, seconds, connections, path="/"):
    """Requests/s of `wrk -t1` against `path` (the home page) of `host`; fails on any error response."""
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "-H", f"Host: {host}", f"http://{LOCALHOST}:{port}{path}",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True)
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
        raise BenchError(f"wrk failed: {exc}") from exc
    return _requests_per_s(result.stdout, host)


def _requests_per_s(output, where):
    """Requests/s from wrk's report; fails on any non-2xx/3xx answer."""
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise BenchError(f"wrk got {errors.group(1)} error responses from {where}:\n{output}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise BenchError(f"no Requests/sec in wrk output:\n{output}")
    return float(rate.group(1))


WRK_POST_SCRIPT = """
wrk.method = "POST"
wrk.body = os.getenv("BENCH_POST_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_POST_COOKIE")
"""
_LATENCY_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def csrf_form(port, host, path):
    """(cookie, token) from a GET of a form page, as a browser would get them."""
    conn = http.client.HTTPConnection(LOCALHOST, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        html = response.read().decode()
        cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    finally:
        conn.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not cookie or token is None:
        raise BenchError(f"{host}{path} gave no CSRF cookie and token")
    return cookie, token.group(1)


def wrk_post(port, host, path, body, cookie, seconds, connections, headers=()):
    """(requests/s, p99 latency in ms) of `wrk -t1 --latency` posting `body` (with `headers`, "Name: value"
    strings); fails on any error response."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-post-") as script:
        script.write(WRK_POST_SCRIPT)
        script.flush()
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", script.name,
            "-H", f"Host: {host}", *(arg for header in headers for arg in ("-H", header)),
            f"http://{LOCALHOST}:{port}{path}",
        ]
        env = os.environ | {"BENCH_POST_BODY": body, "BENCH_POST_COOKIE": cookie}
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=seconds + 30, check=True, env=env
            )
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
            raise BenchError(f"wrk failed: {exc}") from exc
    output = result.stdout
    rate = _requests_per_s(output, f"{host}{path}")
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    if p99 is None:
        raise BenchError(f"no 99% latency in wrk output:\n{output}")
    return rate, float(p99.group(1)) * _LATENCY_UNITS[p99.group(2)]


class EdgeProcess:
    """A server of the edge (varnishd or nginx) in the foreground, its own process group, on a free port."""

    START_TIMEOUT = 30

    def __init__(self, name, command, workdir, port):
        self.name, self.port, self.workdir = name, port, Path(workdir)
        self.log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=self.workdir, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + self.START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise BenchError(f"{name} exited:\n{self.log_tail()}")
            try:
                socket.create_connection((LOCALHOST, port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchError(f"{name} did not listen on {port} within {self.START_TIMEOUT} s") from None
                time.sleep(0.1)

    def log_tail(self):
        return (self.workdir / f"{self.name}.log").read_text(errors="replace")[-3000:]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def varnish(workdir, backend_port, port=None):
    """deploy/varnish/default.vcl with its backend pointed at `backend_port` (nothing else changed)."""
    workdir = Path(workdir)
    text = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
    if '.port = "8000";' not in text:
        raise BenchError("deploy/varnish/default.vcl no longer names its backend port as expected")
    (workdir / "default.vcl").write_text(text.replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = port or free_port()
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    return EdgeProcess("varnishd", [
        varnishd, "-F", "-j", "none", "-n", str(workdir / "varnish-state"), "-a", f"{LOCALHOST}:{port}",
        "-f", str(workdir / "default.vcl"), "-s", "malloc,256m", "-T", "none",
    ], workdir, port)


NGINX_STATIC_CONF = """
worker_processes {workers};
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/tmp;
    proxy_temp_path {workdir}/tmp;
    fastcgi_temp_path {workdir}/tmp;
    uwsgi_temp_path {workdir}/tmp;
    scgi_temp_path {workdir}/tmp;
    server {{
        listen {host}:{port};
        root {workdir}/static;
        location / {{ default_type "text/html; charset=utf-8"; try_files /index.html =404; }}
    }}
}}
"""


def nginx_static(workdir, body, workers):
    """nginx serving `body` as a static file for every path (the baseline for edge-cache hits)."""
    workdir = Path(workdir)
    workdir.chmod(0o755)  # nginx's workers (www-data when started as root) read the file
    (workdir / "static").mkdir(exist_ok=True)
    (workdir / "tmp").mkdir(exist_ok=True)
    (workdir / "static" / "index.html").write_bytes(body)
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_STATIC_CONF.format(workers=workers, workdir=workdir, host=LOCALHOST, port=port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return EdgeProcess("nginx", [nginx, "-c", str(conf), "-p", str(workdir)], workdir, port)


WRK_HOSTS_SCRIPT = """
local hosts = {}
for line in io.lines(os.getenv("BENCH_HOSTS_FILE")) do hosts[#hosts + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/", {["Host"] = hosts[(i % #hosts) + 1]})
end
"""


def _percentile_ms(output, percent):
    match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    if match is None:
        raise BenchError(f"no {percent}% latency in wrk output:\n{output}")
    return float(match.group(1)) * _LATENCY_UNITS[match.group(2)]


def wrk_hosts(port, hosts, seconds, connections):
    """(requests/s, p50 ms, p99 ms) of `wrk -t1 --latency` GETting / of `hosts` round-robin."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-hosts-") as script, \
            tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="bench-hosts-") as listing:
        script.write(WRK_HOSTS_SCRIPT)
        script.flush()
        listing.write("\n".join(hosts) + "\n")
        listing.flush()
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", script.name,
            f"http://{LOCALHOST}:{port}/",
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=seconds + 30, check=True,
                env=os.environ | {"BENCH_HOSTS_FILE": listing.name},
            )
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
            raise BenchError(f"wrk failed: {exc}") from exc
    output = result.stdout
    return _requests_per_s(output, f"{len(hosts)} hosts"), _percentile_ms(output, 50), _percentile_ms(output, 99)


def backend_private_mib(database):
    """Private (anonymous) memory of each PostgreSQL backend connected to `database` (MiB), from /proc.

    Shared buffers are left out: what remains is mostly the backend's catalog caches. An
    empty list when the server's processes cannot be read (PostgreSQL on another host).
    """
    with _admin_connection() as conn:
        pids = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'", [database]
        )]
    sizes = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return []
        sizes.append(int(re.search(r"^RssAnon:\s+(\d+) kB", status, re.M).group(1)) / 1024)
    return sizes


def worker_rss_mib(server):
    """Resident memory of each of a gunicorn's workers (MiB), from /proc."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024)
    if not sizes:
        raise BenchError("gunicorn has no workers to measure")
    return sizes
