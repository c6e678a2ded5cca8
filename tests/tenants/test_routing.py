"""Each host reaches its own site; aliases redirect; unknown, malformed and suspended hosts get clear pages."""

import time

import pytest
from django.test import Client

from tenants import actions, routing
from tenants.models import GovSite
from tenants.routing import clear_route_cache, resolve_host, routes_changed


def test_each_domain_resolves_to_its_site(fixture_sites, db):
    for fixture in fixture_sites.values():
        response = fixture.client().get("/")
        assert response.status_code == 200
        assert f"<title>{fixture.site.display_name}</title>" in response.content.decode()


@pytest.mark.parametrize("spelling", ["WWW.Jinjiang.Chengdu.Localhost", "www.jinjiang.chengdu.localhost",
                                      "jinjiang.chengdu.localhost.", "Jinjiang.Chengdu.Localhost"])
def test_other_spellings_of_a_host_redirect_to_it_keeping_port_and_path(county, spelling):
    """One address per page: the edge then keeps one copy, which the site's purge clears."""
    response = Client(HTTP_HOST=f"{spelling}:8000").get("/xwdt/?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"http://{county.host}:8000/xwdt/?page=2"
    assert Client(HTTP_HOST=f"{county.host}:8000").get("/").status_code == 200, "the port alone is no other spelling"


def test_alias_redirects_permanently_to_the_primary_domain_keeping_the_path(county):
    actions.add_domain(county.site, "jj.example.gov.cn", acting_user=None)
    response = Client(HTTP_HOST="jj.example.gov.cn").get("/xwdt/?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"http://{county.host}/xwdt/?page=2"


def test_making_an_alias_primary_flips_the_redirect_and_wagtail_links(county):
    actions.add_domain(county.site, "www-jj.example.gov.cn", acting_user=None, make_primary=True)
    response = Client(HTTP_HOST=county.host).get("/")
    assert response.status_code == 301
    assert response["Location"] == "http://www-jj.example.gov.cn/"
    page = Client(HTTP_HOST="www-jj.example.gov.cn").get("/")
    assert page.status_code == 200


def test_unknown_host_gets_the_platform_404_page(db):
    response = Client(HTTP_HOST="nosuch.localhost").get("/some/path/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "您访问的网站不存在" in body and "nosuch.localhost" in body


@pytest.mark.parametrize("host", ["bad_host!", "a..b", "[::1", "x" * 300, "exa mple.com", "例子.中国"])
def test_malformed_host_gets_400_not_500(db, host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code in (400, 404)
    assert "<html" in response.content.decode()


def test_suspended_site_shows_a_503_maintenance_page_and_comes_back(county, city):
    actions.suspend_site(county.site, acting_user=None)
    response = county.client().get("/xwdt/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "维护" in response.content.decode()
    assert city.client().get("/").status_code == 200, "one site's suspension must not touch another"
    actions.resume_site(county.site, acting_user=None)
    assert county.client().get("/").status_code == 200


def test_suspending_twice_is_refused_clearly(county):
    actions.suspend_site(county.site, acting_user=None)
    with pytest.raises(actions.SiteActionError, match="已暂停"):
        actions.suspend_site(county.site, acting_user=None)


def test_console_host_gets_the_console_not_a_site(db):
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_route_cache_is_cleared_by_actions(county, settings):
    """Workers cache host look-ups; the worker that acts sees its change at once."""
    settings.TENANT_ROUTE_CACHE_SECONDS = 60
    clear_route_cache()
    try:
        assert resolve_host(county.host).status == "active"
        actions.suspend_site(county.site, acting_user=None)
        # on_commit hooks do not fire inside the test transaction; run them as a commit would.
        routes_changed()
        assert resolve_host(county.host).status == "suspended"
    finally:
        clear_route_cache()


def test_another_workers_change_is_seen_within_the_check_interval(county, settings):
    """A worker keeps its host look-ups until the registry's generation moves, read every few seconds."""
    settings.TENANT_ROUTE_CACHE_SECONDS = 0.3
    clear_route_cache()
    try:
        assert resolve_host(county.host).status == "active"
        # Another worker suspends the site: the row changes and the generation moves,
        # but this worker's cache is not cleared by it.
        GovSite.objects.filter(pk=county.site.pk).update(status="suspended")
        routing.advance_generation()
        assert resolve_host(county.host).status == "active", "trusted until the next check"
        time.sleep(0.35)
        assert resolve_host(county.host).status == "suspended"
    finally:
        clear_route_cache()


def test_a_cached_host_outlives_the_check_interval_while_the_registry_is_unchanged(
    county, settings, django_assert_num_queries
):
    """A round robin over thousands of hosts must not look every host up again every few seconds."""
    settings.TENANT_ROUTE_CACHE_SECONDS = 0.05
    clear_route_cache()
    try:
        resolve_host(county.host)
        time.sleep(0.1)
        with django_assert_num_queries(1) as ctx:
            assert resolve_host(county.host).site == county.site
        assert "last_value" in ctx.captured_queries[0]["sql"], "only the generation is read, not the host"
    finally:
        clear_route_cache()


def test_host_lookup_costs_no_query_when_cached(county, settings, django_assert_num_queries):
    settings.TENANT_ROUTE_CACHE_SECONDS = 60
    clear_route_cache()
    try:
        resolve_host(county.host)
        with django_assert_num_queries(0):
            resolve_host(county.host)
    finally:
        clear_route_cache()


def test_a_sites_wagtail_redirects_still_work(county):
    from django_tenants.utils import schema_context
    from wagtail.contrib.redirects.models import Redirect

    with schema_context(county.schema):
        Redirect.objects.create(old_path="/old-news", redirect_link="/xwdt/", is_permanent=True)
    response = county.client().get("/old-news")
    assert response.status_code == 301 and response["Location"] == "/xwdt/"
