"""What the app tells the edge: a site's anonymous pages are public, everything personal is private."""

from django.test import Client

from tenants import actions
from tenants.models import GovSite


def assert_edge_cacheable(response):
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=600"
    assert not response.cookies, f"cookies on a cacheable page: {list(response.cookies)}"
    assert "cookie" not in response.get("Vary", "").lower()


def assert_private(response):
    assert "s-maxage" not in response.get("Cache-Control", ""), response.get("Cache-Control")
    assert "public" not in response.get("Cache-Control", "")


def test_a_sites_pages_are_cacheable_for_anonymous_visitors(county, city):
    for path in ("/", "/xwdt/", "/xxgk/zcwj/", "/hdjl/ldxx/replies/", "/sitemap.xml", "/robots.txt"):
        assert_edge_cacheable(county.client().get(path))
    assert_edge_cacheable(city.client().get("/"))


def test_pages_with_a_csrf_token_or_a_session_are_private(county):
    visitor = county.client()
    form = visitor.get("/hdjl/ldxx/")  # the mailbox form: a CSRF token and its cookie
    assert form.status_code == 200 and "csrftoken" in form.cookies
    assert_private(form)
    assert_private(visitor.get("/hdjl/ldxx/"))  # a visitor who has the cookie: the page holds their token

    editor = county.admin_client()
    assert_private(editor.get("/"))  # an editor's view of the site (userbar) is theirs alone
    assert_private(editor.get("/admin/"))


def test_admin_search_captcha_posts_and_the_console_are_never_cached(county):
    client = county.client()
    assert_private(client.get("/admin/login/"))
    assert_private(client.get("/search/", {"q": "营商环境"}))  # every search is counted
    assert_private(client.post("/search/"))
    assert_private(Client(HTTP_HOST="localhost").get("/login/"))


def test_unknown_hosts_and_suspended_sites_are_not_marked_for_the_cache(county):
    assert_private(Client(HTTP_HOST="nowhere.example").get("/"))
    actions.suspend_site(GovSite.objects.get(pk=county.site.pk), acting_user=None)
    response = county.client().get("/")
    assert response.status_code == 503
    assert_private(response)


def test_a_missing_page_is_cacheable_but_short_of_cookies(county):
    response = county.client().get("/no-such-page/")
    assert response.status_code == 404
    assert "s-maxage" in response["Cache-Control"] and not response.cookies
