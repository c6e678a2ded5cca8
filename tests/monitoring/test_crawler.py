"""The link checker against a real server: a broken internal link and a dead external one are found, nothing else."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from monitoring.crawler import crawl_sites
from monitoring.health import refresh
from monitoring.models import BrokenLink, CrawlRun
from tests.factories import ArticleFactory
from tests.helpers import gunicorn_server


@pytest.fixture(scope="module")
def linked_article(fixture_sites, django_db_blocker):
    """A committed article of 锦江区 linking to a missing page of its own site and to a dead external host."""
    from columns.models import ArticlePage

    county = fixture_sites["county"]
    body = ('<p><a href="/xwdt/no-such-page/">旧链接</a> <a href="http://dead.example.test/report.pdf">外部报告</a>'
            ' <a href="/xwdt/">新闻动态</a></p>')
    with django_db_blocker.unblock(), schema_context(county.schema):
        ArticleFactory(title="链接检测示例", slug="links-sample", body=body)
    connection.set_schema_to_public()
    yield county
    with django_db_blocker.unblock(), schema_context(county.schema):
        ArticlePage.objects.filter(slug="links-sample").delete()
    connection.set_schema_to_public()


def test_the_crawler_finds_the_broken_links_and_only_those(linked_article, db, settings, tmp_path):
    county = linked_article
    access_log = tmp_path / "access.log"
    with gunicorn_server(tmp_path / "gunicorn.log", GUNICORN_ACCESSLOG=str(access_log)) as server:
        settings.MONITORING_PROBE_TIMEOUT_SECONDS = 2
        settings.MONITORING_CRAWL_DELAY_SECONDS = 0
        settings.MONITORING_CRAWL_SKIP_HOSTS = ["beian.miit.gov.cn"]  # the footer's filing link: no Internet here
        settings.MONITORING_PROBE_CONNECT_TO = f"dead.example.test=127.0.0.1:9,*=127.0.0.1:{server.port}"
        results = crawl_sites([county.site])
    result = results[county.site]
    broken = {(url.split(county.host)[-1], found_on.split(county.host)[-1]) for url, found_on, *_ in result.broken}
    assert broken == {
        ("/xwdt/no-such-page/", "/xwdt/links-sample/"),
        ("http://dead.example.test/report.pdf", "/xwdt/links-sample/"),
    }
    assert result.pages >= 10, "the crawl followed the site's own links"
    # Every page links its 纠错 form: a form (with a captcha made for each fetch), not a page to check.
    assert "/jiucuo/" not in access_log.read_text()
    assert BrokenLink.objects.filter(site=county.site).count() == 2
    run = CrawlRun.objects.get(site=county.site)
    assert run.broken == 2 and run.checked > run.pages

    indicator = refresh(county.site).indicator("broken_links")
    assert indicator["vetoed"] and indicator["value"] == 2
    assert any("no-such-page" in item["title"] and item["url"].endswith("/xwdt/links-sample/")
               for item in indicator["detail"])
    assert timezone.now() - run.finished_at < timedelta(minutes=5)


def test_a_site_never_crawled_is_not_judged(fixture_sites, db):
    indicator = refresh(fixture_sites["city"].site).indicator("broken_links")
    assert not indicator["vetoed"] and indicator["value"] is None and "尚未" in indicator["note"]
