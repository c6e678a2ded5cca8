"""An upgrade that extends the standard (a new standard column, a new permission) reaches existing sites."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from interaction.models import MailboxPage


def test_a_site_made_before_the_mailbox_existed_gets_it_and_its_permission(county):
    with schema_context(county.schema):
        MailboxPage.objects.get().delete()
        editors = Group.objects.get(name="编辑")
        editors.permissions.remove(*editors.permissions.filter(codename="handle_message"))
        out = StringIO()
        call_command("update_site_standard", stdout=out)
        assert "新增栏目：领导信箱" in out.getvalue()
        mailbox = MailboxPage.objects.get()
        assert mailbox.get_parent().slug == "hdjl" and mailbox.is_mandated
        assert editors.permissions.filter(codename="handle_message").exists()
        # Running it again changes nothing.
        out = StringIO()
        call_command("update_site_standard", stdout=out)
        assert "标准栏目齐全" in out.getvalue()
        assert MailboxPage.objects.count() == 1
    assert county.client().get("/hdjl/ldxx/").status_code == 200


def test_a_site_made_before_disclosure_on_application_gets_the_page_the_office_and_its_permission(county):
    from disclosure.models import ApplicationPage

    with schema_context(county.schema):
        ApplicationPage.objects.get().delete()
        Group.objects.filter(name="信息公开办").delete()
        out = StringIO()
        call_command("update_site_standard", stdout=out)
        assert "新增栏目：依申请公开" in out.getvalue()
        page = ApplicationPage.objects.get()
        assert page.get_parent().slug == "xxgk" and page.is_mandated
        office = Group.objects.get(name="信息公开办")
        assert list(office.permissions.values_list("codename", flat=True).order_by("codename")) == [
            "access_admin", "handle_application"]
        assert Group.objects.get(name="站点管理员").permissions.filter(codename="handle_application").exists()
        assert not Group.objects.get(name="编辑").permissions.filter(codename="handle_application").exists()
    assert county.client().get("/xxgk/ysqgk/").status_code == 200


def test_it_refuses_to_run_in_the_public_schema(db):
    with pytest.raises(CommandError, match="for_each_site update_site_standard"):
        call_command("update_site_standard")


def test_a_site_made_before_the_disclosure_report_gets_its_column_and_can_generate_one(county):
    from columns.models import ColumnPage, ColumnType
    from reports.actions import generate_disclosure_report

    with schema_context(county.schema):
        ColumnPage.objects.get(column_type=ColumnType.DISCLOSURE_REPORT).delete()
        out = StringIO()
        call_command("update_site_standard", stdout=out)
        assert "新增栏目：政府信息公开年报" in out.getvalue()
        column = ColumnPage.objects.get(column_type=ColumnType.DISCLOSURE_REPORT)
        assert column.get_parent().slug == "xxgk" and column.is_mandated
        assert generate_disclosure_report(county.site, 2025).page.get_parent().pk == column.pk
    assert county.client().get("/xxgk/gknb/").status_code == 200
