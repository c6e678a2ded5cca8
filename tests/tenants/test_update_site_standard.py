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


def test_it_refuses_to_run_in_the_public_schema(db):
    with pytest.raises(CommandError, match="for_each_site update_site_standard"):
        call_command("update_site_standard")
