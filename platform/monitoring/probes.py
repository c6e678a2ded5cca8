"""Availability probes: each site's home page fetched through its public address, as a citizen would.

`probe_all()` asks every monitored site once, several at a time (a thread pool: the work is
waiting on the network), and adds the result to the site's counters for the day (ProbeDay).
A probe fails when no complete answer came within MONITORING_PROBE_TIMEOUT_SECONDS (15 s,
the national limit), on a network or TLS error, or on a 4xx/5xx status; a redirect counts
as an answer. The `probe_sites` command runs it from a timer (every 30 minutes: 48 a day).

MONITORING_PROBE_CONNECT_TO sends probes for some or all hosts to another address, like
curl's --connect-to (the Host header and the TLS name stay the site's): "*.localhost=127.0.0.1:8000"
in development, where *.localhost names may not resolve.
"""

import http.client
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import ProbeDay


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
    error: str = ""
    location: str = ""


def request(url, method="GET", timeout=None, max_bytes=5_000_000):
    """One HTTP request to `url` (through MONITORING_PROBE_CONNECT_TO if it says so); never raises.

    The whole answer must arrive within `timeout` seconds; a body longer than `max_bytes` is cut.
    """
    timeout = timeout or settings.MONITORING_PROBE_TIMEOUT_SECONDS
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    address, port = _connect_to(host) or (host, port)
    started = time.monotonic()
    try:
        raw = socket.create_connection((address, port), timeout=timeout)
        if secure:
            raw = ssl.create_default_context().wrap_socket(raw, server_hostname=host)
        conn = (http.client.HTTPSConnection if secure else http.client.HTTPConnection)(host, port, timeout=timeout)
        conn.sock = raw
        raw.settimeout(max(0.1, timeout - (time.monotonic() - started)))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, headers={"Host": parts.netloc, "User-Agent": "govsites-monitor/1"})
        response = conn.getresponse()
        body = response.read(max_bytes) if method != "HEAD" else b""
        location = response.getheader("Location") or ""
        conn.close()
    except (OSError, http.client.HTTPException, ValueError) as exc:
        ms = int((time.monotonic() - started) * 1000)
        reason = "超时" if isinstance(exc, (TimeoutError, socket.timeout)) else type(exc).__name__
        return Answer(None, b"", ms, f"{reason}: {exc}"[:200])
    return Answer(response.status, body, int((time.monotonic() - started) * 1000), location=location)


def probe(url, timeout=None):
    """GET `url` once as an availability probe; a ProbeResult (never raises)."""
    timeout = timeout or settings.MONITORING_PROBE_TIMEOUT_SECONDS
    answer = request(url, timeout=timeout)
    if answer.status is None:
        return ProbeResult(False, answer.ms, error=answer.error)
    if answer.ms >= timeout * 1000:
        return ProbeResult(False, answer.ms, answer.status, "超过时限")
    if answer.status >= 400:
        return ProbeResult(False, answer.ms, answer.status, f"HTTP {answer.status}")
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
    """Probe each site once, `concurrency` at a time; returns {site: ProbeResult}."""
    targets = [(site, site.base_url()) for site in sites]  # here: the threads never touch the database
    targets = [(site, base + "/") for site, base in targets if base]
    concurrency = concurrency or settings.MONITORING_PROBE_CONCURRENCY
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = list(pool.map(probe, [url for _site, url in targets]))
    connection.set_schema_to_public()
    results = {}
    for (site, _url), result in zip(targets, outcomes, strict=True):
        record(site, result)
        results[site] = result
    return results
