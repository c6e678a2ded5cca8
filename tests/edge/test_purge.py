"""Publishing reaches the edge: a real Varnish (deploy/varnish/default.vcl) in front of a real gunicorn.

The editor works through the edge as in production (the admin passes it); what a
visitor sees through the edge is checked right after the publish answers.
"""

import http.client
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from columns.models import ArticlePage, ColumnPage
from edge import purge
from edge.models import PendingPurge
from tests.helpers import EdgeEditor, free_port, gunicorn_server, varnish_server

pytestmark = pytest.mark.slow
TITLE = "边缘缓存测试稿件"


@pytest.fixture(scope="module")
def edge(fixture_sites, django_db_blocker, tmp_path_factory):
    """(varnish port): Varnish in front of gunicorn; gunicorn purges that Varnish after each publish."""
    varnish_port = free_port()
    workdir = tmp_path_factory.mktemp("edge")
    with django_db_blocker.unblock(), gunicorn_server(
        workdir / "gunicorn.log", EDGE_CACHE_PURGE_LOCATIONS=f"http://127.0.0.1:{varnish_port}",
    ) as app, varnish_server(workdir / "varnish", app.port, port=varnish_port):
        yield varnish_port


def fetch(port, host, path, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host, **({"Cookie": cookie} if cookie else {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        conn.close()


def test_pages_are_kept_at_the_edge_per_host_and_personal_ones_are_not(edge, county, city):
    status, first, body = fetch(edge, county.host, "/")
    assert status == 200 and first["x-cache"] == "MISS"
    status, second, again = fetch(edge, county.host, "/")
    assert second["x-cache"] == "HIT" and again == body and "set-cookie" not in second
    _, other, city_body = fetch(edge, city.host, "/")
    assert other["x-cache"] == "MISS" and "成都市人民政府" in city_body and "锦江区人民政府" not in city_body

    for _ in range(2):  # the mailbox form holds a CSRF token: never from the cache
        _, headers, _ = fetch(edge, county.host, "/hdjl/ldxx/")
        assert headers["x-cache"] == "MISS" and "csrftoken" in headers["set-cookie"]
    # A visitor with a session (an editor) always reaches the app.
    _, headers, _ = fetch(edge, county.host, "/", cookie="sessionid=abc")
    assert headers["x-cache"] == "MISS"


def test_a_publish_and_a_delete_are_visible_through_the_edge_at_once(edge, county):
    with schema_context(county.schema):
        news = ColumnPage.objects.get(slug="xwdt")
    for path in ("/", "/xwdt/"):  # both cached before the editor acts
        fetch(edge, county.host, path)
        assert fetch(edge, county.host, path)[1]["x-cache"] == "HIT"

    editor = EdgeEditor(f"http://127.0.0.1:{edge}", county.host)
    assert editor.sign_in(county.password).status_code == 302, "the editor could not sign in through the edge"
    published = editor.publish_article(news.pk, title=TITLE, slug="edge-test", body="<p>边缘缓存</p>")
    assert published.status_code == 302, published.text[-2000:]
    page_id = None
    try:
        seen_at = time.monotonic()
        for path in ("/xwdt/", "/"):
            _, headers, body = fetch(edge, county.host, path)
            assert TITLE in body, f"{path} through the edge does not show the new item"
            assert headers["x-cache"] == "MISS"
        assert time.monotonic() - seen_at < 1.0
        with schema_context(county.schema):
            page_id = ArticlePage.objects.get(slug="edge-test").pk

        assert editor.delete_page(page_id).status_code == 302
        for path in ("/xwdt/", "/"):
            assert TITLE not in fetch(edge, county.host, path)[2], f"{path} still shows the deleted item"
    finally:
        with schema_context(county.schema):
            left = Page.objects.filter(slug="edge-test").first()
        if left is not None:  # the test failed half-way: take the committed page away again
            editor.delete_page(left.pk)


def unreachable_edge(settings):
    port = free_port()  # nothing listens there
    settings.WAGTAILFRONTENDCACHE = {"edge": {
        "BACKEND": "edge.backends.HostBanBackend", "LOCATIONS": [f"http://127.0.0.1:{port}"], "TIMEOUT": 1,
    }}
    return port


def publish(site, *titles):
    with schema_context(site.schema):
        news = ColumnPage.objects.get(slug="xwdt")
        for n, title in enumerate(titles):
            page = ArticlePage(title=title, slug=f"purge-{n}")
            news.add_child(instance=page)
            page.save_revision().publish()


def test_a_failed_purge_never_blocks_publishing_and_is_retried(county, settings, tmp_path,
                                                                django_capture_on_commit_callbacks):
    port = unreachable_edge(settings)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(county, "停电通知一", "停电通知二")
    batches = [c for c in callbacks if isinstance(c, purge._Batch)]  # other apps wait for the commit too
    assert len(batches) == 1, "two publishes in one transaction are one purge"
    with schema_context(county.schema):
        assert ArticlePage.objects.live().filter(title__startswith="停电通知").count() == 2
    pending = PendingPurge.objects.get()
    assert pending.host == county.host and pending.attempts == 1 and "Connection" in pending.last_error

    assert purge.retry_pending() == (0, 0), "not due yet"
    later = timezone.now() + timedelta(hours=1)
    assert purge.retry_pending(now=later) == (1, 1)  # still unreachable: tried again, kept
    assert PendingPurge.objects.get().attempts == 2
    with varnish_server(tmp_path / "varnish", backend_port=free_port(), port=port):
        assert purge.retry_pending(now=later + timedelta(hours=2)) == (1, 0)
    assert not PendingPurge.objects.exists()


def test_a_rolled_back_publish_purges_nothing(county, settings, django_capture_on_commit_callbacks):
    unreachable_edge(settings)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), \
            transaction.atomic():
        publish(county, "撤回的稿件")
        raise RuntimeError("the editor's request failed after the publish")
    assert callbacks == [] and not PendingPurge.objects.exists()


def test_suspending_a_site_purges_its_hosts_now_and_again_after_the_route_caches_expire(
    county, settings, tmp_path, django_capture_on_commit_callbacks,
):
    from tenants import actions
    from tenants.models import GovSite

    edge_port = free_port()
    settings.WAGTAILFRONTENDCACHE = {"edge": {
        "BACKEND": "edge.backends.HostBanBackend", "LOCATIONS": [f"http://127.0.0.1:{edge_port}"], "TIMEOUT": 1,
    }}
    with varnish_server(tmp_path / "varnish", backend_port=free_port(), port=edge_port):
        started = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            actions.suspend_site(GovSite.objects.get(pk=county.site.pk), acting_user=None)
        again = PendingPurge.objects.get(host=county.host)
        assert again.attempts == 0, "the purge at commit succeeded; this row is the second one, scheduled"
        assert again.next_attempt_at <= started + timedelta(seconds=settings.TENANT_ROUTE_CACHE_SECONDS + 2)
        assert purge.retry_pending(now=again.next_attempt_at) == (1, 0)
    assert not PendingPurge.objects.exists()


def test_a_publish_does_not_cancel_a_routing_changes_second_purge(county, settings, tmp_path,
                                                                  django_capture_on_commit_callbacks):
    from tenants import actions
    from tenants.models import GovSite

    edge_port = free_port()
    settings.WAGTAILFRONTENDCACHE = {"edge": {
        "BACKEND": "edge.backends.HostBanBackend", "LOCATIONS": [f"http://127.0.0.1:{edge_port}"], "TIMEOUT": 1,
    }}
    with varnish_server(tmp_path / "varnish", backend_port=free_port(), port=edge_port):
        with django_capture_on_commit_callbacks(execute=True):
            actions.add_domain(GovSite.objects.get(pk=county.site.pk), "alias.example.gov.cn", acting_user=None)
        with django_capture_on_commit_callbacks(execute=True):
            publish(county, "改域名后的新稿件")  # its purge succeeds
        assert PendingPurge.objects.filter(host=county.host, attempts=0).exists(), "the second purge still waits"


@pytest.mark.parametrize("spelling", ["www.{host}", "{host}.", "WWW.{HOST}"])
def test_no_spelling_of_a_host_keeps_a_page_the_purge_would_miss(edge, county, spelling):
    """Varnish keys its cache by host: a page cached under www.<site> would outlive the site's purge."""
    host = spelling.format(host=county.host, HOST=county.host.upper())
    for _ in range(2):
        status, headers, _ = fetch(edge, host, "/xwdt/")
        assert status == 301 and headers["location"] == f"http://{county.host}/xwdt/"
        assert headers["x-cache"] == "MISS", "a redirect is not kept at the edge"


def test_changing_a_sites_settings_purges_its_pages(county, settings, django_capture_on_commit_callbacks):
    """The organiser, filing numbers and contacts are on every page's footer: a change must show at once."""
    from columns.models import SiteSettings

    unreachable_edge(settings)  # the purge is tried, fails, and is left for the retry job: visible as a row
    with schema_context(county.schema), django_capture_on_commit_callbacks(execute=True):
        site_settings = SiteSettings.objects.get()
        site_settings.undertaker = "锦江区人民政府办公室（新）"
        site_settings.save()
    assert PendingPurge.objects.filter(host=county.host).exists()


def test_purge_edge_clears_every_site_after_an_upgrade_and_names_a_wrong_code(county, city, settings, tmp_path):
    from django.core.management import CommandError, call_command

    edge_port = free_port()
    settings.WAGTAILFRONTENDCACHE = {"edge": {
        "BACKEND": "edge.backends.HostBanBackend", "LOCATIONS": [f"http://127.0.0.1:{edge_port}"], "TIMEOUT": 1,
    }}
    with pytest.raises(CommandError, match="999999"):
        call_command("purge_edge", "--site", "999999")
    started = timezone.now()
    with varnish_server(tmp_path / "varnish", backend_port=free_port(), port=edge_port):
        call_command("purge_edge")
    assert not PendingPurge.objects.exists()
    for site in (county, city):  # marked: the tamper probe reads older copies as stale, not as defaced
        assert purge.purged_at(site.host) >= started
