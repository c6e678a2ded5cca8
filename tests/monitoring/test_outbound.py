"""The monitors cannot be turned inward: no request to the inside network, a total deadline, no crash on a bad link.

Real sockets and servers on 127.0.0.1 throughout; MONITORING_PROBE_CONNECT_TO is empty here, as in
production, so every address is judged by monitoring.outbound.
"""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from monitoring import crawler, probes
from monitoring.outbound import INTERNAL, Policy
from monitoring.probes import INVALID, TIMEOUT, request

LOCAL = Policy.for_run  # built inside each test, after `settings` is changed


@pytest.fixture(autouse=True)
def _no_connect_to(settings):
    settings.MONITORING_PROBE_CONNECT_TO = ""
    settings.MONITORING_OUTBOUND_ALLOW = []


@pytest.fixture
def listener():
    """A port on 127.0.0.1 that records whether anything connected to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    sock.settimeout(0.3)
    yield sock
    sock.close()


def connected(sock):
    try:
        sock.accept()[0].close()
    except TimeoutError:
        return False
    return True


class _Pages(BaseHTTPRequestHandler):
    pages = {}

    def do_GET(self):
        body = self.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((body or "").encode())

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    """An HTTP server on 127.0.0.1 serving `web.pages` ({path: html}); yields (base url, pages)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Pages.pages
    server.shutdown()
    _Pages.pages.clear()


def test_the_local_machine_is_refused_without_a_connection(listener):
    port = listener.getsockname()[1]
    for host in ("127.0.0.1", "localhost", "[::ffff:127.0.0.1]"):
        answer = request(f"http://{host}:{port}/", policy=LOCAL())
        assert answer.status is None and answer.error == INTERNAL, host
    assert not connected(listener), "the monitor connected to a loopback port"


@pytest.mark.parametrize("address", [
    "169.254.169.254", "10.0.0.5:5432", "192.168.1.1", "172.16.0.1", "100.64.0.1", "224.0.0.1",
    "0.0.0.0",  # noqa: S104 (an address to refuse, not one bound)
    "[::1]", "[fd00::1]", "[fe80::1]",
])
def test_inside_and_reserved_addresses_are_refused_at_once(address):
    started = time.monotonic()
    answer = request(f"http://{address}/latest/meta-data/", timeout=5, policy=LOCAL())
    assert answer.error == INTERNAL
    assert time.monotonic() - started < 1, "refused before any connection attempt, not after a timeout"


def test_an_intranet_deployment_opens_its_own_networks_and_the_platforms_hosts_are_trusted(settings, web):
    base, pages = web
    pages["/"] = "<p>内网</p>"
    assert request(base + "/", policy=LOCAL()).error == INTERNAL
    settings.MONITORING_OUTBOUND_ALLOW = ["127.0.0.0/8"]
    assert request(base + "/", policy=LOCAL()).status == 200
    settings.MONITORING_OUTBOUND_ALLOW = []
    port = base.rsplit(":", 1)[1]
    assert request(f"http://localhost:{port}/", policy=Policy.for_run(["localhost"])).status == 200


@pytest.mark.parametrize("url", ["http://[x", "http://example.com:99999/", "ftp://example.com/", "http:///x", ""])
def test_a_malformed_address_is_an_answer_not_an_exception(url):
    assert request(url, policy=LOCAL()).error == INVALID


def test_a_server_that_drips_its_answer_is_cut_off_at_the_deadline(settings):
    settings.MONITORING_OUTBOUND_ALLOW = ["127.0.0.0/8"]
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    stop = threading.Event()

    def drip():
        conn, _ = server.accept()
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while not stop.is_set():  # one byte every 0.2 s: each read succeeds, the answer never ends
            try:
                conn.sendall(b"a")
            except OSError:
                break
            time.sleep(0.2)
        conn.close()

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    answer = request(f"http://127.0.0.1:{server.getsockname()[1]}/", timeout=1, policy=LOCAL())
    elapsed = time.monotonic() - started
    stop.set()
    thread.join()
    server.close()
    assert answer.error == TIMEOUT and elapsed < 2


def test_the_crawler_reports_bad_and_inward_links_in_plain_words_and_carries_on(web):
    base, pages = web
    pages["/"] = (
        '<a href="http://[x">坏地址</a> <a href="http://example.com:99999/">坏端口</a>'
        ' <a href="http://169.254.169.254/latest/meta-data/">元数据</a> <a href="http://10.0.0.5:5432/">数据库</a>'
        ' <a href="/ok/">正常</a> <a href="/missing/">缺失</a>'
    )
    pages["/ok/"] = "<p>正常页面</p>"
    result = crawler.crawl(base, delay=0, timeout=2, policy=Policy.for_run(["127.0.0.1"]))
    errors = {url: error for url, _found_on, _status, error in result.broken}
    assert errors == {
        "http://[x": INVALID, "http://example.com:99999/": INVALID,
        "http://169.254.169.254/latest/meta-data/": INTERNAL, "http://10.0.0.5:5432/": INTERNAL,
        f"{base}/missing/": "HTTP 状态 404",
    }
    assert result.pages == 2


def test_each_site_is_stored_as_its_crawl_ends_and_one_failure_costs_no_other_site(
    fixture_sites, db, monkeypatch, web
):
    from monitoring.models import CrawlRun

    county, township = fixture_sites["county"], fixture_sites["township"]
    original = crawler.crawl

    def crawl(base_url, **kwargs):
        if township.host in base_url:
            raise RuntimeError("a bug met on this site's pages")
        return original(base_url, delay=0, timeout=2, **kwargs)

    monkeypatch.setattr(crawler, "crawl", crawl)
    results = crawler.crawl_sites([township.site, county.site])
    assert county.site in results and township.site not in results
    assert CrawlRun.objects.filter(site=county.site).exists()


def test_probe_results_are_stored_one_by_one_as_they_come(fixture_sites, db, settings, monkeypatch, web):
    county, township = fixture_sites["county"], fixture_sites["township"]
    base, pages = web
    pages["/"] = "<p>首页</p>"
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)  # accepts, never answers: a site that is down
    settings.MONITORING_PROBE_TIMEOUT_SECONDS = 2
    settings.MONITORING_PROBE_CONNECT_TO = (f"{township.host}=127.0.0.1:{silent.getsockname()[1]},"
                                            f"{county.host}=127.0.0.1:{base.rsplit(':', 1)[1]}")
    stored = []
    original = probes.record
    monkeypatch.setattr(probes, "record", lambda site, result: (stored.append((site, time.monotonic())),
                                                                 original(site, result)))
    started = time.monotonic()
    probes.probe_all([township.site, county.site])
    silent.close()
    (first, first_at), (second, second_at) = stored
    assert first == county.site and first_at - started < 1, "the answering site waited for the silent one"
    assert second == township.site and second_at - started >= 2
