"""Archiving a site (readable, frozen, pointing to its successor) and the console's confirmation steps."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from columns.models import ColumnPage
from tenants import actions
from tenants.models import AuditEvent, GovSite


def test_an_archived_site_stays_readable_with_a_banner_pointing_to_its_successor(county, city):
    actions.archive_site(county.site, successor=city.site, acting_user=None, source="tests")
    page = county.client().get("/xwdt/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "本网站已归档" in body
    assert f'href="{city.site.base_url()}/"' in body and "前往成都市人民政府网站" in body
    assert "本网站已归档" not in city.client().get("/").content.decode(), "only the archived site has the banner"
    event = AuditEvent.objects.get(action="archive_site", site=county.site)
    assert event.detail["successor_region_code"] == "510100"


def test_nothing_changes_on_an_archived_site_but_editors_can_still_sign_in_and_read(county):
    actions.archive_site(county.site, acting_user=None)
    editor = county.admin_client()  # signing in is still allowed
    assert editor.get("/admin/").status_code == 200
    assert "本站已归档" in editor.get("/admin/").content.decode()
    with schema_context(county.schema):
        column = ColumnPage.objects.get(slug="xwdt")
    title = column.title
    change = {"title": "改过的标题", "slug": "xwdt", "action-publish": "1"}
    response = editor.post(f"/admin/pages/{column.pk}/edit/", change)
    assert response.status_code == 403
    assert "已归档" in response.content.decode() and "未被执行" in response.content.decode()
    with schema_context(county.schema):
        assert ColumnPage.objects.get(pk=column.pk).title == title
    # A citizen's message is refused the same way, with the reason.
    refused = county.client().post("/hdjl/ldxx/", {"subject": "咨询", "body": "请问……"})
    assert refused.status_code == 403 and "不再受理" in refused.content.decode()


def test_unarchiving_brings_the_site_back_into_service(county):
    actions.archive_site(county.site, acting_user=None)
    actions.unarchive_site(county.site, acting_user=None)
    assert "本网站已归档" not in county.client().get("/").content.decode()
    editor = county.admin_client()
    with schema_context(county.schema):
        column = ColumnPage.objects.get(slug="xwdt")
    assert editor.get(f"/admin/pages/{column.pk}/edit/").status_code == 200
    county.site.refresh_from_db()
    assert county.site.is_active and county.site.successor is None


def test_archiving_refuses_a_successor_that_is_not_running_or_is_itself(county, city):
    actions.suspend_site(city.site, acting_user=None)
    with pytest.raises(actions.SiteActionError, match="暂停"):
        actions.archive_site(county.site, successor=GovSite.objects.get(pk=city.site.pk), acting_user=None)
    with pytest.raises(actions.SiteActionError, match="自己"):
        actions.archive_site(county.site, successor=county.site, acting_user=None)
    county.site.refresh_from_db()
    assert county.site.is_active


def test_each_lifecycle_step_shows_what_it_will_do_before_doing_it(console_client, county, city):
    pk = county.site.pk
    for step, words in [("suspend", "维护"), ("archive", "冻结")]:
        page = console_client.get(f"/sites/{pk}/{step}/")
        assert page.status_code == 200 and words in page.content.decode()
    assert GovSite.objects.get(pk=pk).is_active, "looking at a confirmation changes nothing"

    response = console_client.post(f"/sites/{pk}/archive/", {"successor": city.site.pk}, follow=True)
    assert "已归档" in response.content.decode()
    site = GovSite.objects.get(pk=pk)
    assert site.is_archived and site.successor == city.site and site.status_changed_at is not None

    # A step that no longer fits the state says so instead of acting.
    page = console_client.get(f"/sites/{pk}/suspend/")
    assert "不能暂停站点" in page.content.decode()
    assert console_client.post(f"/sites/{pk}/resume/").status_code == 400
    assert GovSite.objects.get(pk=pk).is_archived


def test_deleting_from_the_console_explains_what_is_missing(console_client, county):
    pk = county.site.pk
    actions.suspend_site(county.site, acting_user=None)
    page = console_client.get(f"/sites/{pk}/delete/").content.decode()
    assert "还不能删除" in page and "备份" in page
    response = console_client.post(f"/sites/{pk}/delete/", {"confirm_name": "锦江"})
    assert response.status_code == 400 and "请输入站点名称“锦江区”" in response.content.decode()
    response = console_client.post(f"/sites/{pk}/delete/", {"confirm_name": "锦江区"})
    assert response.status_code == 400 and "备份" in response.content.decode()
    assert GovSite.objects.filter(pk=pk).exists()


def test_an_operator_cannot_delete_or_restore(county):
    from tenants import staff_roles
    from tests.console.test_access import staff

    actions.suspend_site(county.site, acting_user=None)
    _, operator = staff("yunwei", staff_roles.OPERATOR)
    assert operator.get(f"/sites/{county.site.pk}/delete/").status_code == 403
    assert operator.post(f"/sites/{county.site.pk}/delete/", {"confirm_name": "锦江区"}).status_code == 403
    assert operator.get("/backups/1/restore/").status_code == 403
    assert GovSite.objects.filter(pk=county.site.pk).exists()


def test_an_unknown_lifecycle_target_is_a_404(console_client):
    assert console_client.get("/sites/999999/archive/").status_code == 404
    assert Client(HTTP_HOST="localhost").get("/sites/1/archive/").status_code == 302  # signed out: to login
