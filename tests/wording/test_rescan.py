"""The archive re-scan: a term planted in one site of the province is found, that site alone is vetoed
on the dashboard, the run resumes where it stopped, a failing site never stops the others, and a fixed
page leaves the to-do list as soon as it is published again."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import Page

from columns.models import ArticlePage, ColumnPage
from monitoring.health import refresh
from tests.factories import (
    ArticleFactory,
    ConsultationFactory,
    PolicyInterpretationFactory,
    ServiceGuideFactory,
)
from wording import scan
from wording.models import Finding, ScanRun, SiteScan
from wording.texts import page_texts


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
    with schema_context(township.schema), connection.cursor() as cursor:  # the township's columns unreadable
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


def _findings():
    return sorted(Finding.objects.values_list("site_id", "page_id", "field", "found", "before", "after"))


def test_sites_scanned_in_processes_give_the_same_findings_and_a_failing_one_stays_alone(committed_db):
    """Committed content (each process has its own connection): the province's sites two at a time find
    what one process finds; a failing site is still reported and left for the next run."""
    county, township = committed_db["county"], committed_db["township"]
    planted = [(county, plant(county)), (township, plant(township, body="<p>全面建设小康社会，截止目前。</p>"))]
    try:
        call_command("scan_wording", "--workers", "1", stdout=StringIO())
        alone = _findings()
        assert {row[3] for row in alone} == {"中华人民共合国", "全面建设小康社会", "截止目前"}
        Finding.objects.all().delete()
        out = StringIO()
        call_command("scan_wording", "--workers", "2", stdout=out)
        assert _findings() == alone
        assert f"已复查 {len(committed_db)} / {len(committed_db)} 个站点，发现 3 处" in out.getvalue()

        with schema_context(township.schema), connection.cursor() as cursor:
            cursor.execute("ALTER TABLE columns_columnpage RENAME TO columns_columnpage_away")
        try:
            with pytest.raises(CommandError, match="1 个站点复查失败"):
                call_command("scan_wording", "--workers", "2", stdout=StringIO(), stderr=StringIO())
        finally:
            with schema_context(township.schema), connection.cursor() as cursor:
                cursor.execute("ALTER TABLE columns_columnpage_away RENAME TO columns_columnpage")
        run = ScanRun.objects.latest()
        assert run.finished_at is None and not run.sites.filter(site=township.site).exists()
        assert run.sites.count() == len(committed_db) - 1
        call_command("scan_wording", "--workers", "2", stdout=StringIO())  # resumes: the township alone
        run.refresh_from_db()
        assert run.finished_at is not None and _findings() == alone
    finally:
        for site, page in planted:
            with schema_context(site.schema):
                ArticlePage.objects.get(pk=page.pk).delete()
        Finding.objects.all().delete()
        ScanRun.objects.all().delete()


def test_workers_must_be_at_least_one(fixture_sites, db):
    with pytest.raises(CommandError, match="--workers 至少为 1"):
        call_command("scan_wording", "--workers", "0", stdout=StringIO())


def test_the_scan_reads_each_page_as_the_publish_check_reads_it(county):
    """The archive scan reads only the text columns, type by type; what it reads of every page type is what
    the check before publishing reads of the page itself (rich text, entities, inline markup)."""
    with schema_context(county.schema):
        ArticleFactory(title="防汛&lt;通知&gt;", summary="摘要写明截止目前的进展", source="区应急局", revision=False,
                       body='<p data-block-key="a1">全面建设<b>小康</b>社会&amp;乡村&nbsp;振兴<br/>第二行</p>')
        PolicyInterpretationFactory(revision=False)
        ServiceGuideFactory(revision=False)
        ConsultationFactory(revision=False, draft_text="<p>第一条 公园<i>每日</i>开放。</p>")
        pages = list(Page.objects.live().filter(depth__gt=1).specific())
        expected = {p.pk: (p.title, scan.page_path(p.url_path), page_texts(p, children=False)) for p in pages}
        read = {item.page_id: (item.title, item.url, item.texts) for _path, item in scan.page_items()}
    assert len({type(p) for p in pages}) >= 8
    assert read == expected
    [article] = [texts for title, _url, texts in read.values() if title == "防汛&lt;通知&gt;"]
    assert ("正文", "全面建设小康社会&乡村\xa0振兴第二行") in article


def test_a_page_whose_own_row_is_missing_is_still_scanned_as_a_plain_page(county):
    with schema_context(county.schema):
        article = plant(county, title="中华人民共合国成立纪念")
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM columns_articlepage WHERE page_ptr_id = %s", [article.pk])
        [item] = [item for _path, item in scan.page_items() if item.page_id == article.pk]
        assert item.texts == [("标题", "中华人民共合国成立纪念")]
        assert scan.scan_site(county.site)[1] == 1
