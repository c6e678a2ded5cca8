"""倒签: a policy document dated more than a day before it first went out is a serious error until an editor
writes why; the admin keeps one from going out without a reason; content that keeps its history (an item
pushed down from the province, a folded township, the demo) is judged by its real first publication."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tenants.utils import schema_context

from monitoring.health import refresh
from policies.backdating import backdated_documents
from policies.models import PolicyDocumentPage, PolicyLibraryPage
from syndication import sync
from syndication.models import ReprintPage
from tenants.models import AuditAction, AuditEvent
from tests.factories import PolicyDocumentFactory
from tests.interaction.test_inbox import sidebar_labels
from tests.syndication.test_syndication import distribute
from tests.wagtail_admin import post_page_form

SHANGHAI = ZoneInfo("Asia/Shanghai")


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def publish(site, **fields):
    """A policy document published now in code (no admin check): as a script or an old import would."""
    with schema_context(site.schema):
        return PolicyDocumentFactory(**fields)


def flagged(site):
    with schema_context(site.schema):
        return list(backdated_documents().values_list("title", flat=True))


def serious_errors(site):
    return refresh(site.site).indicator("serious_errors")


def add_form(site):
    with schema_context(site.schema):
        return f"/admin/pages/add/policies/policydocumentpage/{PolicyLibraryPage.objects.get(slug='zcwj').pk}/"


def policy_form(published_date, **changes):
    return {
        "title": "锦江区人民政府关于加强城市更新的通知", "slug": "csgx",
        "index_number": "11510104MB0000000X/2025-00009",
        "topic": "economy", "issuing_organ": "锦江区人民政府", "document_number": "锦府发〔2025〕9号",
        "written_date": (published_date - timedelta(days=3)).isoformat(), "published_date": published_date.isoformat(),
        **changes,
    }


def test_a_document_published_today_dated_ten_days_ago_is_a_serious_error_on_the_dashboard(county, console_client):
    document = publish(county, title="锦江区老旧小区改造实施方案", published_date=days_ago(10))
    assert flagged(county) == ["锦江区老旧小区改造实施方案"]
    indicator = serious_errors(county)
    assert indicator["vetoed"] and indicator["value"] == 1
    [item] = indicator["detail"]
    assert item["note"] == (f"倒签：发布日期 {days_ago(10):%Y-%m-%d} 比实际发布 {timezone.localdate():%Y-%m-%d} "
                            "早 10 天，未说明原因")
    assert item["admin_url"].endswith(f"/admin/pages/{document.pk}/edit/")
    assert "倒签" in console_client.get(f"/health/{county.site.pk}/").content.decode()
    admin = county.admin_client()
    assert "倒签核查（1 件）" in sidebar_labels(admin)
    todo = admin.get("/admin/policies/backdated/").content.decode()
    assert "锦江区老旧小区改造实施方案" in todo and f"/admin/pages/{document.pk}/edit/" in todo


def test_a_written_reason_clears_it_and_is_audited_once(county):
    document = publish(county, published_date=days_ago(10))
    admin = county.admin_client()
    reason = "纸质文件已于发布日期印发，网站补充发布"
    response = post_page_form(admin, f"/admin/pages/{document.pk}/edit/", {"backdate_reason": reason},
                              action="publish")
    assert response.status_code == 302
    assert flagged(county) == [] and not serious_errors(county)["vetoed"]
    [row] = AuditEvent.objects.filter(site=county.site, action=AuditAction.EXPLAIN_BACKDATE)
    assert row.actor_label == "admin" and row.detail["reason"] == reason and row.detail["page"] == document.pk
    assert row.detail["published_date"] == days_ago(10).isoformat()
    assert row.detail["first_published"] == timezone.localdate().isoformat()
    post_page_form(admin, f"/admin/pages/{document.pk}/edit/", {"title": "关于优化营商环境的实施意见（修订）"},
                   action="publish")
    assert AuditEvent.objects.filter(site=county.site, action=AuditAction.EXPLAIN_BACKDATE).count() == 1
    assert "倒签核查" not in sidebar_labels(admin)


def test_the_admin_keeps_a_back_dated_document_a_draft_until_a_reason_is_written(county):
    admin = county.admin_client()
    response = post_page_form(admin, add_form(county), policy_form(days_ago(10)), action="publish")
    assert response.status_code == 302
    with schema_context(county.schema):
        page = PolicyDocumentPage.objects.get(slug="csgx")
        assert not page.live and page.get_latest_revision_as_object().published_date == days_ago(10)
    shown = admin.get(response["Location"]).content.decode()
    assert f"发布日期 {days_ago(10):%Y-%m-%d} 比实际发布日期 {timezone.localdate():%Y-%m-%d} 早 10 天" in shown
    assert not AuditEvent.objects.filter(action=AuditAction.EXPLAIN_BACKDATE).exists()

    response = post_page_form(admin, f"/admin/pages/{page.pk}/edit/", {"backdate_reason": "纸质文件已印发"},
                              action="publish")
    assert response.status_code == 302
    with schema_context(county.schema):
        assert PolicyDocumentPage.objects.get(pk=page.pk).live
    assert AuditEvent.objects.get(action=AuditAction.EXPLAIN_BACKDATE).detail["reason"] == "纸质文件已印发"
    assert flagged(county) == []


def test_one_day_earlier_is_not_back_dating(county):
    admin = county.admin_client()
    assert post_page_form(admin, add_form(county), policy_form(days_ago(1)), action="publish").status_code == 302
    with schema_context(county.schema):
        assert PolicyDocumentPage.objects.get(slug="csgx").live
    publish(county, published_date=days_ago(1))
    assert flagged(county) == [] and not serious_errors(county)["vetoed"]


def test_days_are_counted_in_local_time_not_utc(county):
    # 07:00 in Shanghai is 23:00 UTC the day before: two local days after 10 June, one UTC day.
    morning = datetime(2025, 6, 12, 7, 0, tzinfo=SHANGHAI)
    publish(county, title="两天前的日期", published_date=datetime(2025, 6, 10).date(), first_published_at=morning)
    publish(county, title="前一天的日期", published_date=datetime(2025, 6, 11).date(), first_published_at=morning)
    late_evening = datetime(2025, 6, 11, 23, 30, tzinfo=SHANGHAI)
    publish(county, title="当晚发布", published_date=datetime(2025, 6, 10).date(), first_published_at=late_evening)
    assert flagged(county) == ["两天前的日期"]


def test_scheduled_publishing_is_judged_by_the_day_it_goes_out(county):
    admin = county.admin_client()
    go_live = timezone.localtime() + timedelta(days=5)
    scheduled = policy_form(go_live.date(), go_live_at=f"{go_live:%Y-%m-%d %H:%M}")
    assert post_page_form(admin, add_form(county), scheduled, action="publish").status_code == 302
    with schema_context(county.schema):
        page = PolicyDocumentPage.objects.get(slug="csgx")
        assert page.get_latest_revision().approved_go_live_at is not None, "scheduled, not held"

    early = policy_form(timezone.localdate(), slug="csgx-2", go_live_at=f"{go_live:%Y-%m-%d %H:%M}")
    response = post_page_form(admin, add_form(county), early, action="publish")
    assert "早 5 天" in admin.get(response["Location"]).content.decode()
    with schema_context(county.schema):
        assert PolicyDocumentPage.objects.get(slug="csgx-2").get_latest_revision().approved_go_live_at is None


def test_a_document_pushed_down_from_the_province_keeps_its_date_and_is_not_flagged(province, city, county, township):
    issued = days_ago(10)
    document = publish(province, title="四川省城市更新行动方案", issuing_organ="四川省人民政府", published_date=issued,
                       first_published_at=datetime.combine(issued, datetime.min.time(), SHANGHAI) + timedelta(hours=9))
    distribution = distribute(province, document)
    assert sync.catch_up_all()["failed"] == 0
    for site in (province, city, county, township):
        assert flagged(site) == [] and not serious_errors(site)["vetoed"], site.host
    with schema_context(county.schema):
        copy = ReprintPage.objects.get(distribution_id=distribution.pk)
        assert timezone.localdate(copy.first_published_at) == timezone.localdate()  # later than its 发布日期
    assert issued.isoformat() in county.client().get(f"/sjxx/d{distribution.pk}/").text


def test_a_folded_township_keeps_its_documents_first_publication(township, county):
    from tenants import actions as site_actions

    issued = days_ago(30)
    publish(township, title="春熙路街道门前三包管理办法", issuing_organ="春熙路街道办事处", published_date=issued,
            first_published_at=datetime.combine(issued, datetime.min.time(), SHANGHAI) + timedelta(hours=10))
    site_actions.fold_township(township.site, acting_user=None, source="tests")
    with schema_context(county.schema):
        assert PolicyDocumentPage.objects.live().filter(title="春熙路街道门前三包管理办法").exists()
    assert flagged(county) == []


def test_the_demo_province_has_nothing_back_dated(fixture_sites, db):
    from demo.content import add_missing_demo_content
    from syndication.demo import distribute_demo_item

    for site in fixture_sites.values():
        with schema_context(site.schema):
            add_missing_demo_content(site.site)
            assert PolicyDocumentPage.objects.live().count() == 8
    distribute_demo_item(fixture_sites["province"].site)
    sync.catch_up_all()
    for site in fixture_sites.values():
        assert flagged(site) == [], site.host
        assert not [i for i in serious_errors(site)["detail"] if i["note"].startswith("倒签")], site.host
