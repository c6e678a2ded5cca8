"""The archive re-scan: a term planted in one site of the province is found, that site alone is vetoed
on the dashboard, the run resumes where it stopped, a failing site never stops the others, and a fixed
page leaves the to-do list as soon as it is published again."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from columns.models import ArticlePage, ColumnPage
from monitoring.health import refresh
from tests.factories import ArticleFactory
from wording import scan
from wording.models import Finding, ScanRun, SiteScan


def plant(site, title="庆祝大会", body="<p>热烈庆祝中华人民共合国成立七十五周年。</p>"):
    """A live article written in before the check saw it (no publish signal: as content from before a
    list change, or migrated from an old site)."""
    with schema_context(site.schema):
        return ArticleFactory(parent=ColumnPage.objects.get(slug="xwdt"), title=title, body=body, revision=False)


def scan_all():
    out, err = StringIO(), StringIO()
    call_command("scan_wording", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_planted_term_is_found_and_only_its_site_is_vetoed(fixture_sites, db, console_client):
    county, others = fixture_sites["county"], [s for k, s in fixture_sites.items() if k != "county"]
    article = plant(county)
    out, _ = scan_all()
    assert f"已复查 {len(fixture_sites)} / {len(fixture_sites)} 个站点" in out
    [finding] = Finding.objects.all()
    assert (finding.site_id, finding.page_id, finding.found, finding.correct) == (
        county.site.pk, article.pk, "中华人民共合国", "中华人民共和国")
    indicator = refresh(county.site).indicator("serious_errors")
    assert indicator["vetoed"] and indicator["value"] == 1
    assert "“中华人民共合国”应为“中华人民共和国”" in indicator["detail"][0]["note"]
    for other in others:
        assert not refresh(other.site).indicator("serious_errors")["vetoed"], other.host
    assert "严重错误" in console_client.get("/health/").content.decode()
    todo = county.admin_client().get("/admin/wording/").content.decode()
    assert "<mark>中华人民共合国</mark>" in todo and f"/admin/pages/{article.pk}/edit/" in todo

    # Fixed and published again: off the list at once.
    with schema_context(county.schema):
        page = ArticlePage.objects.get(pk=article.pk)
        page.body = "<p>热烈庆祝中华人民共和国成立七十五周年。</p>"
        page.save_revision().publish()
    assert not Finding.objects.exists()
    assert not refresh(county.site).indicator("serious_errors")["vetoed"]


def test_a_run_resumes_with_the_sites_it_has_not_done(fixture_sites, db):
    county, province = fixture_sites["county"], fixture_sites["province"]
    run = ScanRun.objects.create(reason="词表变更")
    SiteScan.objects.create(run=run, site=province.site)  # done before it was interrupted
    plant(province)  # after the province was scanned: this run does not look again
    plant(county)
    scan_all()
    assert set(Finding.objects.values_list("site_id", flat=True)) == {county.site.pk}
    run.refresh_from_db()
    assert run.finished_at is not None and run.sites_done == len(fixture_sites)


def test_a_failing_site_is_reported_and_the_others_are_scanned(fixture_sites, db):
    county, township = fixture_sites["county"], fixture_sites["township"]
    plant(county)
    with schema_context(township.schema):
        from django.db import connection

        with connection.cursor() as cursor:  # the township's columns unreadable, for this test only
            cursor.execute("ALTER TABLE columns_columnpage RENAME TO columns_columnpage_away")
    with pytest.raises(CommandError, match="1 个站点复查失败"):
        scan_all()
    assert Finding.objects.filter(site=county.site).count() == 1
    run = ScanRun.objects.get()
    assert run.finished_at is None and not run.sites.filter(site=township.site).exists()


def test_a_list_change_asks_for_a_run_and_the_timer_carries_it_out(fixture_sites, db, console_client):
    county = fixture_sites["county"]
    plant(county, body="<p>锦江区人民政付发布通知。</p>")
    term = {"text": "锦江区人民政付", "kind": "serious", "correct": "锦江区人民政府"}
    console_client.post("/wording/terms/add/", term)
    assert scan.pending_run().reason == "词表变更"
    call_command("scan_wording", "--scheduled", stdout=StringIO())
    assert Finding.objects.get(site=county.site).found == "锦江区人民政付"
    assert scan.pending_run() is None
    page = console_client.get("/wording/").content.decode()
    assert "词表变更" in page and f"复查 {len(fixture_sites)} 个站点" in page
    assert "严重错误 <strong>1</strong> 处" in page, page.split("scan-heading")[1][:800]
    assert "锦江区</a>（1）" in page


def test_a_restored_site_is_scanned_again(fixture_sites, db):
    from tenants.signals import site_content_replaced

    county = fixture_sites["county"]
    plant(county)
    with schema_context(county.schema):
        site_content_replaced.send(sender=type(county.site), site=county.site)
    assert Finding.objects.get(site=county.site).found == "中华人民共合国"
