"""网站地图, sitemap.xml, robots.txt and RSS: per site, on the site's own host, never naming another site."""

import xml.etree.ElementTree as ET

import factory
import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from columns import views
from columns.models import ArticlePage, ColumnPage
from tests.factories import ArticleFactory, column

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(response):
    return ET.fromstring(response.content)  # noqa: S314 (the platform's own output, not untrusted input)


class ListedArticleFactory(ArticleFactory):
    """A live article first published now, with no revision: what the site map and feeds list is all these
    tests need. Its slug is d-<n>, the site's n-th article (a test's first is d-1)."""

    class Params:
        revision = False

    slug = factory.LazyFunction(lambda: f"d-{ArticlePage.objects.count() + 1}")
    first_published_at = factory.LazyFunction(timezone.now)


@pytest.fixture
def two_sites(county, city):
    """An article on each of two sites, with titles that must never cross over."""
    with schema_context(county.schema):
        ListedArticleFactory(title="锦江区独有的新闻", summary="锦江区摘要")
    with schema_context(city.schema):
        ListedArticleFactory(title="成都市独有的新闻")
    return county, city


def sitemap_locs(site, path="/sitemap.xml"):
    response = site.client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = parse(response)
    return root, [loc.text for loc in root.iterfind(".//sm:loc", SITEMAP_NS)]


def test_sitemap_xml_lists_the_site_s_live_pages_on_its_own_host(two_sites):
    county, city = two_sites
    root, locs = sitemap_locs(county)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    base = f"http://{county.host}"
    assert f"{base}/" in locs and f"{base}/xwdt/" in locs and f"{base}/xxgk/zcwj/" in locs
    assert f"{base}/xwdt/d-1/" in locs
    assert all(loc.startswith(f"{base}/") for loc in locs)
    _, city_locs = sitemap_locs(city)
    assert all(loc.startswith(f"http://{city.host}/") for loc in city_locs)
    assert not set(locs) & set(city_locs)


def test_sitemap_leaves_out_drafts_and_private_pages(county):
    with schema_context(county.schema):
        draft = ListedArticleFactory(title="草稿")
        private = ListedArticleFactory(parent=column("tzgg"), title="内部通知")
        ArticlePage.objects.filter(pk=draft.pk).update(live=False)
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    _, locs = sitemap_locs(county)
    assert not any(loc.endswith(("/xwdt/d-1/", "/tzgg/d-2/")) for loc in locs)


def test_a_large_sitemap_becomes_an_index_of_parts(county, monkeypatch):
    monkeypatch.setattr(views, "SITEMAP_LIMIT", 5)
    root, parts = sitemap_locs(county)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert parts[0] == f"http://{county.host}/sitemap.xml?p=1" and len(parts) >= 2
    _, first = sitemap_locs(county, "/sitemap.xml?p=1")
    assert len(first) == 5
    assert county.client().get("/sitemap.xml?p=99").status_code == 404


def test_robots_txt_points_to_the_site_s_own_sitemap(county, city):
    for site in (county, city):
        response = site.client().get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert lines[0] == "User-agent: *" and "Disallow: /admin/" in lines
        assert lines[-1] == f"Sitemap: http://{site.host}/sitemap.xml"


def feed(site, path):
    response = site.client().get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/rss+xml")
    return parse(response).find("channel")


def test_column_feed_lists_its_items_on_the_site_s_host(two_sites):
    county, city = two_sites
    channel = feed(county, "/xwdt/rss.xml")
    assert channel.findtext("title") == "新闻动态 - 锦江区人民政府"
    assert channel.findtext("link") == f"http://{county.host}/xwdt/"
    assert channel.findtext("language") == "zh-cn"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["锦江区独有的新闻"]
    assert items[0].findtext("link") == f"http://{county.host}/xwdt/d-1/"
    assert items[0].findtext("description") == "锦江区摘要"
    assert items[0].findtext("pubDate")
    city_channel = feed(city, "/xwdt/rss.xml")
    assert [item.findtext("title") for item in city_channel.findall("item")] == ["成都市独有的新闻"]


def test_site_feed_and_nested_column_feeds(two_sites):
    county, _ = two_sites
    with schema_context(county.schema):
        ListedArticleFactory(parent=column("zcwj"), title="锦江区政策文件")
    site_titles = [item.findtext("title") for item in feed(county, "/rss.xml").findall("item")]
    assert set(site_titles) == {"锦江区独有的新闻", "锦江区政策文件"}
    disclosure = feed(county, "/xxgk/rss.xml")
    assert [item.findtext("title") for item in disclosure.findall("item")] == ["锦江区政策文件"]
    assert feed(county, "/xxgk/zcwj/rss.xml").findtext("link") == f"http://{county.host}/xxgk/zcwj/"


@pytest.mark.parametrize("path", ["/nosuch/rss.xml", "/xwdt/d-1/rss.xml", "/xwdt/rss.xml/"])
def test_no_feed_for_what_is_not_a_column(two_sites, path):
    county, _ = two_sites
    assert county.client().get(path).status_code == 404


def test_feed_leaves_out_private_pages(county):
    with schema_context(county.schema):
        private = ListedArticleFactory(parent=column("tzgg"), title="内部通知")
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    assert feed(county, "/tzgg/rss.xml").findall("item") == []


def test_column_page_links_its_feed(county):
    html = county.client().get("/xwdt/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="新闻动态" href="/xwdt/rss.xml">' in html
    assert '<a class="feed-link" href="/xwdt/rss.xml">' in html


def test_site_map_page_shows_the_column_tree(two_sites):
    county, city = two_sites
    response = county.client().get("/sitemap/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="page-title">网站地图</h1>' in html
    tree = html[html.index('<div class="site-map">'):]
    assert '<li><a href="/xxgk/">信息公开</a><ul class="column-tree">' in tree
    assert '<li><a href="/xxgk/zcwj/">政策文件</a></li>' in tree
    assert '<a href="/zjxx/">走进锦江</a>' in tree and "走进成都" not in tree
    assert "锦江区独有的新闻" not in tree, "articles are not columns"
    assert f"//{city.host}" not in html and f"\"{city.host}\"" not in html and "成都市人民政府" not in html
    city_html = city.client().get("/sitemap/").content.decode()
    assert '<a href="/zjxx/">走进成都</a>' in city_html and "走进锦江" not in city_html


def test_site_map_hides_unpublished_branches(county):
    with schema_context(county.schema):
        hidden = ColumnPage.objects.get(slug="xxgk")
        ColumnPage.objects.filter(pk=hidden.pk).update(live=False)
    tree = county.client().get("/sitemap/").content.decode().split('<div class="site-map">')[1]
    assert "信息公开" not in tree and "政策文件" not in tree
