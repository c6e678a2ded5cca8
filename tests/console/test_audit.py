"""One audit trail: console actions and every site's admin actions, with who, when, what and from where."""

import csv
import io

from django.test import Client
from django_tenants.utils import schema_context

from columns.models import ArticlePage, ColumnPage
from tenants.models import AuditAction, AuditEvent, GovSite
from tests.wagtail_admin import post_page_form


def site_events(site, action):
    return AuditEvent.objects.filter(site=site.site, action=action)


def test_an_editors_publish_unpublish_and_delete_are_in_the_platform_trail(county):
    editor = county.admin_client()
    with schema_context(county.schema):
        news = ColumnPage.objects.get(slug="xwdt")
    response = post_page_form(
        editor, f"/admin/pages/add/columns/articlepage/{news.pk}/",
        {"title": "审计测试稿件", "slug": "audit-test", "body": "<p>正文</p>"}, action="publish",
        rich_text_fields=["body"],
    )
    assert response.status_code == 302
    # Other tests' committed publishes (through gunicorn) may be in the trail too: find this one.
    published = site_events(county, "site:wagtail.publish").get(detail__label="审计测试稿件")
    assert published.actor_label == "admin" and published.source == "127.0.0.1"
    assert published.detail["label"] == "审计测试稿件" and published.site_label == "锦江区（510104）"

    with schema_context(county.schema):
        page = ArticlePage.objects.get(slug="audit-test")
    assert editor.post(f"/admin/pages/{page.pk}/unpublish/").status_code == 302
    assert editor.post(f"/admin/pages/{page.pk}/delete/").status_code == 302
    assert site_events(county, "site:wagtail.unpublish").filter(detail__label="审计测试稿件").exists()
    assert site_events(county, "site:wagtail.delete").filter(detail__label="审计测试稿件").exists()


def test_a_section_made_private_is_a_recorded_permission_change(county):
    editor = county.admin_client()
    with schema_context(county.schema):
        column = ColumnPage.objects.get(slug="tzgg")
    response = editor.post(f"/admin/pages/{column.pk}/privacy/", {"restriction_type": "login"})
    assert response.status_code == 200
    event = site_events(county, "site:wagtail.view_restriction.create").get(detail__page_id=column.pk)
    assert event.actor_label == "admin" and event.detail["page_id"] == column.pk


def test_the_source_is_the_visitors_address_behind_the_edge(county, settings):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"  # production: nginx's X-Real-IP
    editor = county.admin_client(HTTP_X_REAL_IP="203.0.113.9")
    with schema_context(county.schema):
        news = ColumnPage.objects.get(slug="xwdt")
    post_page_form(editor, f"/admin/pages/add/columns/articlepage/{news.pk}/",
                   {"title": "来源测试", "slug": "source-test"}, action="publish")
    assert site_events(county, "site:wagtail.publish").get(detail__label="来源测试").source == "203.0.113.9"


def test_console_lists_filters_and_exports_the_trail_read_only(audit_client, county, city):
    from tenants import actions

    actions.suspend_site(GovSite.objects.get(pk=county.site.pk), acting_user=None, source="198.51.100.7")
    actions.suspend_site(GovSite.objects.get(pk=city.site.pk), acting_user=None, source="198.51.100.8")
    AuditEvent.objects.create(actor_label="=cmd|' /C calc'!A0", action="site:wagtail.publish", site=county.site,
                              site_label=str(county.site), detail={"label": "+危险公式"}, source="10.0.0.1")

    page = audit_client.get("/audit/", {"site": "510104"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "暂停站点" in body and "198.51.100.7" in body and "198.51.100.8" not in body
    assert "站内：发布" in body
    only_console = audit_client.get("/audit/", {"action": "suspend"}).content.decode()
    assert "198.51.100.8" in only_console and "+危险公式" not in only_console
    found = audit_client.get("/audit/", {"q": "危险公式"}).content.decode()
    assert "+危险公式" in found and "198.51.100.7" not in found

    export = audit_client.get("/audit/", {"site": "510104", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["时间", "操作人", "操作", "站点", "来源", "详情"]
    assert rows[1][1:3] == ["'=cmd|' /C calc'!A0", "site:wagtail.publish"], "formulas must not run in Excel"
    assert {row[3] for row in rows[1:]} == {"锦江区（510104）"}, "only the county's events"
    assert "suspend_site" in {row[2] for row in rows[1:]}
    exported = AuditEvent.objects.get(action=AuditAction.EXPORT_AUDIT)
    assert exported.detail["filters"] == {"site": "510104"} and exported.actor_label == "shenji-admin"

    # Bad filters are ignored and said so, never a 500; nothing in the trail can be changed.
    bad = audit_client.get("/audit/", {"start": "2024-13-45", "site": "x" * 50})
    assert bad.status_code == 200
    before = AuditEvent.objects.count()
    assert audit_client.post("/audit/", {"action": "x"}).status_code == 405
    assert AuditEvent.objects.count() == before


def test_the_trail_is_for_platform_staff_only(county):
    assert Client(HTTP_HOST="localhost").get("/audit/").status_code == 302
    # A site editor's session means nothing on the console host.
    editor = county.admin_client()
    assert editor.get("/audit/").status_code == 404  # the site has no such page


def test_deleting_a_site_account_leaves_a_staff_members_audit_records_alone(county, platform_admin):
    """A site account with the same id as a staff member: its deletion must not blank their records."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from tenants import actions
    from tenants.models import AuditEvent

    actions.suspend_site(county.site, acting_user=platform_admin)
    event = AuditEvent.objects.get(action="suspend_site", site=county.site)
    User = get_user_model()
    with schema_context(county.schema):
        User.objects.filter(pk=platform_admin.pk).delete()  # make room: ids depend on what ran before
        account = User.objects.create_user("tongyige-id-audit", password="site-pass-1234")
        User.objects.filter(pk=account.pk).update(id=platform_admin.pk)
        User.objects.get(pk=platform_admin.pk).delete()
    event.refresh_from_db()
    assert event.actor_id == platform_admin.pk
