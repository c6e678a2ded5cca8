"""Demo content: dozens of items per site, different between sites, spread over time."""

from django_tenants.utils import schema_context

from columns.demo import add_demo_articles
from columns.models import ArticlePage


def test_demo_articles_differ_per_site_and_fill_more_than_one_page(city, county):
    titles = {}
    for site in (city, county):
        with schema_context(site.schema):
            assert add_demo_articles(site.site) == 24
            articles = ArticlePage.objects.live()
            titles[site.schema] = set(articles.values_list("title", flat=True))
            assert len({a.first_published_at.date() for a in articles}) > 10, "dates are spread out"
            assert articles.filter(is_headline=True).count() == 3
    assert all(site.site.short_name in t for site in (city, county) for t in titles[site.schema])
    assert titles[city.schema].isdisjoint(titles[county.schema])
    body = county.client().get("/xwdt/").content.decode()
    assert body.count("锦江") >= 16
