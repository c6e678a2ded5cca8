"""Jobs run per site: scheduled publishing reaches every site, and one broken site does not stop the rest."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from columns.models import ArticlePage, ColumnPage
from tests.helpers import provision_committed_county, raw_connection, run_manage


def schedule(site, slug):
    """An article approved for publication in an hour: Wagtail keeps it unpublished until then."""
    with schema_context(site.schema):
        article = ArticlePage(title="定时发布的通知", slug=slug, go_live_at=timezone.now() + timedelta(hours=1))
        ColumnPage.objects.get(slug="tzgg").add_child(instance=article)
        revision = article.save_revision()
        revision.publish()
        article.refresh_from_db()
        assert not article.live and revision.approved_go_live_at is not None
        # Let the hour pass (the revision's own copy of go_live_at too: publishing re-checks it).
        past = timezone.now() - timedelta(minutes=1)
        revision.content["go_live_at"] = past.isoformat()
        type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=past, content=revision.content)
        ArticlePage.objects.filter(pk=article.pk).update(go_live_at=past)
        return article.pk


def test_scheduled_pages_are_published_in_every_site(city, county):
    ids = {site.schema: schedule(site, "scheduled") for site in (city, county)}
    out = StringIO()
    call_command("for_each_site", "publish_scheduled", stdout=out)
    assert "0 个失败" in out.getvalue()
    for site in (city, county):
        with schema_context(site.schema):
            assert ArticlePage.objects.get(pk=ids[site.schema]).live
        assert site.client().get("/tzgg/scheduled/").status_code == 200


def test_one_broken_site_does_not_stop_the_others(committed_sites, fixture_sites, db):
    committed_sites.append("510109")
    provision_committed_county("高新区", "510109")
    with raw_connection() as conn:
        conn.execute("DROP TABLE site_510109.wagtailcore_revision CASCADE")
    result = run_manage("for_each_site", "publish_scheduled", check=False)
    assert result.returncode != 0
    assert "高新区（site_510109）失败" in result.stderr
    succeeded = len(fixture_sites)
    assert f"{succeeded} 个站点成功，1 个失败" in result.stdout
