"""Availability probes: each site's home page fetched through its public address, as a citizen would.

`probe_all()` asks every monitored site once, several at a time (a thread pool: the work is
waiting on the network), and adds the result to the site's counters for the day (ProbeDay).
A probe fails when no complete answer came within MONITORING_PROBE_TIMEOUT_SECONDS (the
national limit), on a network or TLS error, or on a 4xx/5xx status; a redirect counts as an
answer. Every request goes only where monitoring.outbound allows. The `probe_sites` command
runs it from a timer (every 30 minutes: 48 a day).

MONITORING_PROBE_CONNECT_TO sends probes for some or all hosts to another address, like
curl's --connect-to (the Host header and the TLS name stay the site's): "*.localhost=127.0.0.1:8000"
in development, where *.localhost names may not resolve.
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import ProbeDay
from .outbound import Policy, Refused


@dataclass
class ProbeResult:
    ok: bool
    ms: int
    status: int | None = None
    error: str = ""


def _connect_to(host):
    """(address, port) to open instead of the host's own, per MONITORING_PROBE_CONNECT_TO, or None.

    Rules are "name=address:port", comma-separated: an exact host name, "*.suffix" for every
    name under a domain, or "*" for everything. The exact name wins, then the longest suffix.
    """
    rules = getattr(settings, "MONITORING_PROBE_CONNECT_TO", "") or ""
    best, best_rank = None, -1
    for rule in rules.split(","):
        name, _, target = rule.strip().partition("=")
        if not target:
            continue
        if name == host:
            rank = 10_000
        elif name.startswith("*.") and host.endswith(name[1:]):
            rank = len(name)
        elif name == "*":
            rank = 0
        else:
            continue
        if rank > best_rank:
            address, _, port = target.rpartition(":")
            best, best_rank = (address, int(port)), rank
    return best


@dataclass
class Answer:
    status: int | None
    body: bytes
    ms: int
    error: str = ""  # in plain words, for the dashboard: never an exception's own text
    location: str = ""
    age: int = 0  # seconds the answer had been in a cache (its Age header), 0 when fresh


INVALID = "地址无效"
TIMEOUT = "超时"
CONNECTION_FAILED = "连接失败"
TLS_FAILED = "加密连接（证书）错误"
BAD_ANSWER = "应答无效"


def request(url, method="GET", timeout=None, max_bytes=5_000_000, policy=None, connect_to=None, headers=None):
    """One HTTP request to `url`; an Answer, never an exception.

    The whole answer must arrive within `timeout` seconds (a server that drips its answer is cut
    off then), a body longer than `max_bytes` is cut, and the address must pass `policy`
    (monitoring.outbound) unless MONITORING_PROBE_CONNECT_TO, or `connect_to` (address, port),
    sends the host elsewhere.
    """
    timeout = timeout or settings.MONITORING_PROBE_TIMEOUT_SECONDS
    started = time.monotonic()

    def failed(reason):
        return Answer(None, b"", int((time.monotonic() - started) * 1000), reason)

    try:
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        host = parts.hostname or ""
        port = parts.port or (443 if secure else 80)
        if parts.scheme not in ("http", "https") or not host:
            return failed(INVALID)
    except ValueError:  # http://[x, a port beyond 65535...
        return failed(INVALID)
    redirected = connect_to or _connect_to(host)
    try:
        addresses = [redirected] if redirected else (policy or Policy.for_run()).addresses(host, port)
    except Refused as exc:
        return failed(str(exc))
    raw = None
    deadline = threading.Timer(timeout, lambda: raw is not None and _cut(raw))
    deadline.start()
    try:
        raw = _open(addresses, timeout)
        if secure:
            raw = ssl.create_default_context().wrap_socket(raw, server_hostname=host)
        conn = (http.client.HTTPSConnection if secure else http.client.HTTPConnection)(host, port, timeout=timeout)
        conn.sock = raw
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"Host": parts.netloc, "User-Agent": "govsites-monitor/1", **(headers or {})}
        conn.request(method, path, headers=sent)
        response = conn.getresponse()
        body = response.read(max_bytes) if method != "HEAD" else b""
        location = response.getheader("Location") or ""
        age = response.getheader("Age") or "0"
        conn.close()
    except TimeoutError:
        return failed(TIMEOUT)
    except ssl.SSLError:
        return failed(TLS_FAILED)
    except http.client.HTTPException:
        return failed(TIMEOUT if time.monotonic() - started >= timeout else BAD_ANSWER)
    except (OSError, ValueError):
        return failed(TIMEOUT if time.monotonic() - started >= timeout else CONNECTION_FAILED)
    finally:
        deadline.cancel()
    ms = int((time.monotonic() - started) * 1000)
    if ms >= timeout * 1000:
        return Answer(None, b"", ms, TIMEOUT)
    return Answer(response.status, body, ms, location=location, age=int(age) if age.isdigit() else 0)


def _open(addresses, timeout):
    """A connection to the first of `addresses` that answers."""
    error = None
    for address in addresses:
        try:
            return socket.create_connection(address, timeout=timeout)
        except OSError as exc:
            error = exc
    raise error


def _cut(sock):
    """The total deadline passed: wake whatever read is waiting on `sock`."""
    with contextlib.suppress(OSError):  # already closed: nothing is waiting
        sock.shutdown(socket.SHUT_RDWR)


def status_error(status):
    return f"HTTP 状态 {status}"


def probe(url, timeout=None, policy=None):
    """GET `url` once as an availability probe; a ProbeResult (never raises)."""
    answer = request(url, timeout=timeout, policy=policy)
    if answer.status is None:
        return ProbeResult(False, answer.ms, error=answer.error)
    if answer.status >= 400:
        return ProbeResult(False, answer.ms, answer.status, status_error(answer.status))
    return ProbeResult(True, answer.ms, answer.status)


def record(site, result, now=None):
    """Add one probe's result to the site's counters for the day (one upsert, safe with concurrent probes)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    ProbeDay.objects.get_or_create(site=site, day=day)
    changes = {"probes": F("probes") + 1, "total_ms": F("total_ms") + result.ms,
               "slowest_ms": Greatest(F("slowest_ms"), result.ms)}
    if not result.ok:
        changes |= {"failures": F("failures") + 1, "last_error": result.error[:200], "last_failure_at": now}
    ProbeDay.objects.filter(site=site, day=day).update(**changes)


def probe_all(sites, concurrency=None):
    """Probe each site once, `concurrency` at a time; returns {site: ProbeResult}.

    Each result is stored as soon as its probe ends: when many sites are down at once (each
    taking the full timeout) the ones already probed are on record even if the run is stopped.
    """
    targets = [(site, site.base_url()) for site in sites]  # here: the threads never touch the database
    targets = [(site, base + "/") for site, base in targets if base]
    policy = Policy.for_run(urlsplit(url).hostname for _site, url in targets)
    concurrency = concurrency or settings.MONITORING_PROBE_CONCURRENCY
    results = {}
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        running = {pool.submit(probe, url, policy=policy): site for site, url in targets}
        for done in as_completed(running):
            site = running[done]
            connection.set_schema_to_public()
            record(site, done.result())  # probe() never raises
            results[site] = done.result()
    return results
