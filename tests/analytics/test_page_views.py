"""Page views: counted by the beacon, per page and per site and day, without cookies; shown to editors and admins."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from analytics.counting import fold
from analytics.models import PageViewDay, SiteViewDay
from columns.models import ArticlePage
from tests.factories import ArticleFactory


def view(site, page_id, client=None, **headers):
    """The beacon as a browser sends it from one of the site's own pages."""
    headers = {"Origin": f"http://{site.host}", "Sec-Fetch-Site": "same-origin", **headers}
    return (client or site.client()).post(f"/_count/{page_id}/", headers=headers)


def test_a_page_carries_its_id_for_the_beacon_and_the_beacon_counts_it(county):
    with schema_context(county.schema):
        page = ArticleFactory(title="锦江区召开防汛工作会议", slug="fx")
    html = county.client().get("/xwdt/fx/").text
    assert f'data-page-id="{page.pk}"' in html and "themes/js/count.js" in html
    client = county.client()
    for _ in range(3):
        response = view(county, page.pk, client)
        assert response.status_code == 204 and not response.cookies
    fold()
    row = PageViewDay.objects.get(site=county.site, page_id=page.pk)
    assert (row.views, row.path, row.title, row.day) == (3, "/xwdt/fx/", "锦江区召开防汛工作会议", timezone.localdate())
    assert SiteViewDay.objects.get(site=county.site, day=timezone.localdate()).views == 3


def test_what_is_not_a_public_page_of_the_site_is_not_counted(county, city):
    with schema_context(county.schema):
        page = ArticleFactory(title="锦江区召开防汛工作会议")
        draft = ArticleFactory(title="草稿")
        private = ArticleFactory(title="内部")
        ArticlePage.objects.get(pk=draft.pk).unpublish()
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    client = county.client()
    for page_id in (draft.pk, private.pk, 999_999, 2**31, 10**30):
        assert view(county, page_id, client).status_code == 204
    # From another site's page (the browser says so): not a view of this site.
    assert view(county, page.pk, client, **{"Sec-Fetch-Site": "cross-site"}).status_code == 204
    assert client.get(f"/_count/{page.pk}/").status_code == 405
    assert client.post("/_count/abc/").status_code == 404
    fold()
    assert not PageViewDay.objects.exists() and not SiteViewDay.objects.exists()


@pytest.mark.parametrize("headers", [
    {},  # a script: no Origin at all
    {"Origin": "http://evil.example"},
    {"Origin": "http://chengdu.localhost", "Sec-Fetch-Site": "same-site"},  # a sister site's page
    {"Origin": "https://jinjiang.chengdu.localhost"},  # another scheme is another origin
    {"Origin": "null"},
])
def test_a_beacon_that_does_not_come_from_the_sites_own_page_is_not_counted(county, headers):
    with schema_context(county.schema):
        page = ArticleFactory(title="锦江区召开防汛工作会议")
    for _ in range(3):
        assert county.client().post(f"/_count/{page.pk}/", headers=headers).status_code == 204
    fold()
    assert not PageViewDay.objects.exists()


def test_one_address_cannot_inflate_the_figures(county, settings):
    settings.ANALYTICS_BEACON_RATE = "5/m"
    with schema_context(county.schema):
        page = ArticleFactory(title="锦江区召开防汛工作会议")
    client = county.client(REMOTE_ADDR="203.0.113.7")
    for _ in range(12):
        assert view(county, page.pk, client).status_code == 204
    view(county, page.pk, county.client(REMOTE_ADDR="203.0.113.8"))  # someone else is still counted
    fold()
    assert PageViewDay.objects.get(site=county.site, page_id=page.pk).views == 6


def test_a_view_is_one_insert_and_no_counter_is_locked(county):
    """A burst of views must not queue on the (site, day) counter's row lock: the beacon only inserts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with schema_context(county.schema):
        page = ArticleFactory(title="锦江区召开防汛工作会议")
    view(county, page.pk)  # the route and the rate limit warm
    with CaptureQueriesContext(connection) as queries:
        view(county, page.pk)
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(("SELECT", "SET", "SAVEPOINT",
                                                                                      "RELEASE"))]
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("INSERT INTO PUBLIC.ANALYTICS_PENDINGVIEW")
    assert not any("FOR UPDATE" in q["sql"].upper() or "ON CONFLICT" in q["sql"].upper() for q in queries)


def test_an_editor_sees_the_sites_own_figures_only(county, city):
    with schema_context(county.schema):
        mine = ArticleFactory(title="锦江区召开防汛工作会议")
    with schema_context(city.schema):
        theirs = ArticleFactory(title="成都市新闻")
    for _ in range(2):
        view(county, mine.pk)
    view(city, theirs.pk)
    page = county.admin_client().get("/admin/analytics/")
    assert page.status_code == 200
    assert "共 2 次访问" in page.text and "锦江区召开防汛工作会议" in page.text and "成都市新闻" not in page.text
    assert county.admin_client().get("/admin/analytics/", {"days": "abc"}).status_code == 200


def test_the_console_ranks_the_sites_and_shows_one(console_client, county, city):
    with schema_context(county.schema):
        mine = ArticleFactory(title="锦江区召开防汛工作会议")
    for _ in range(2):
        view(county, mine.pk)
    with schema_context(city.schema):
        theirs = ArticleFactory(title="成都市新闻")
    view(city, theirs.pk)
    overview = console_client.get("/analytics/", {"days": "7"})
    assert overview.status_code == 200 and "共 3 次访问" in overview.text
    text = overview.text
    assert text.index("锦江区人民政府") < text.index("成都市人民政府")  # most viewed first
    one = console_client.get("/analytics/", {"site": county.site.region_code})
    assert "共 2 次访问" in one.text and "锦江区召开防汛工作会议" in one.text
    missing = console_client.get("/analytics/", {"site": "999999"})
    assert missing.status_code == 404 and "没有这个区划代码的站点" in missing.text


def test_old_page_counters_are_pruned_and_site_totals_kept(county, settings):
    settings.ANALYTICS_PAGE_DAYS = 30
    old = timezone.localdate() - datetime.timedelta(days=31)
    PageViewDay.objects.create(site=county.site, day=old, page_id=1, path="/", title="首页", views=5)
    PageViewDay.objects.create(site=county.site, day=timezone.localdate(), page_id=1, path="/", title="首页", views=1)
    SiteViewDay.objects.create(site=county.site, day=old, views=5)
    call_command("prune_page_views", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(PageViewDay.objects.values_list("views", flat=True)) == [1]
    assert SiteViewDay.objects.filter(day=old).exists()


def test_an_archived_site_is_still_read_and_its_views_still_counted(county):
    from tenants import actions

    with schema_context(county.schema):
        page = ArticleFactory(title="锦江区召开防汛工作会议")
    actions.archive_site(county.site, acting_user=None)
    assert view(county, page.pk).status_code == 204
    fold()
    assert PageViewDay.objects.get(site=county.site, page_id=page.pk).views == 1


def test_a_bad_filter_is_shown_not_a_dead_end(console_client):
    response = console_client.get("/analytics/", {"level": "nonsense", "days": "abc", "page": "x"})
    assert response.status_code == 200 and "nonsense" in response.text and "共 0 次访问" in response.text
