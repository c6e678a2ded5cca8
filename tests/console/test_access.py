"""Platform staff roles: administrators and operators change sites, a supervisor sees everything and changes nothing."""

import pytest

from tenants import actions, staff_roles
from tenants.models import AuditEvent, Domain, GovSite, SiteJob
from tests.factories import StaffFactory
from tests.helpers import run_manage
from tests.two_factor import signed_in


def staff(username, role=None):
    """A staff account (StaffFactory) with `role`, and a console client signed in as it."""
    user = StaffFactory(username=username, role=role)
    return user, signed_in(user)


def console_posts(site):
    """Every state-changing request of the console, with valid data."""
    return [
        ("/sites/new/", {"name": "测试县", "level": "county", "parent": site.parent_id, "region_code": "510199",
                         "site_code": "5101990001"}),
        (f"/sites/{site.pk}/suspend/", {}),
        (f"/sites/{site.pk}/resume/", {}),
        (f"/sites/{site.pk}/domains/", {"domain": "new.example.gov.cn"}),
        (f"/sites/{site.pk}/domains/change/", {"domain": "jinjiang.chengdu.localhost", "op": "remove"}),
        (f"/sites/{site.pk}/archive/", {}),
        (f"/sites/{site.pk}/unarchive/", {}),
        (f"/sites/{site.pk}/delete/", {"confirm_name": site.name}),
        (f"/sites/{site.pk}/fold/", {}),
        (f"/sites/{site.pk}/backups/", {"op": "backup"}),
        (f"/sites/{site.pk}/backups/", {"op": "verify", "backup": "1"}),
        ("/backups/", {}),
        ("/backups/1/restore/", {}),
        ("/backups/1/restore-new/", {"name": "测试县", "region_code": "510199", "site_code": "5101990001",
                                     "domain": "x.example.gov.cn"}),
    ]


def test_a_supervisor_sees_everything_and_every_console_post_is_refused(county):
    _, supervisor = staff("jiandu", staff_roles.SUPERVISOR)
    for path in ("/", f"/sites/{county.site.pk}/", "/audit/", "/search-stats/"):
        page = supervisor.get(path)
        assert page.status_code == 200, path
        assert "暂停站点" not in page.content.decode() and "添加域名" not in page.content.decode()
    events, domains = AuditEvent.objects.count(), Domain.objects.count()
    for path, data in console_posts(county.site):
        response = supervisor.post(path, data)
        assert response.status_code == 403, path
        assert "只读" in response.content.decode()
    assert supervisor.get("/sites/new/").status_code == 403
    assert AuditEvent.objects.count() == events and Domain.objects.count() == domains
    assert not SiteJob.objects.exists(), "nothing was queued either"
    assert GovSite.objects.get(pk=county.site.pk).status == "active"
    assert not GovSite.objects.filter(region_code="510199").exists()


def test_a_staff_account_without_a_role_is_read_only(county):
    _, nobody = staff("xinren")
    assert nobody.get("/").status_code == 200
    assert nobody.post(f"/sites/{county.site.pk}/suspend/").status_code == 403


def test_an_operator_changes_sites(county):
    _, operator = staff("yunwei", staff_roles.OPERATOR)
    assert operator.post(f"/sites/{county.site.pk}/suspend/").status_code == 302
    assert GovSite.objects.get(pk=county.site.pk).status == "suspended"
    assert "yunwei" in AuditEvent.objects.filter(action="suspend_site").first().actor_label


def test_roles_are_given_by_an_audited_action_and_the_cli(db):
    user, _ = staff("zhangsan")
    actions.set_staff_role(user, staff_roles.OPERATOR, acting_user=None, source="test")
    assert staff_roles.role_of(user) == staff_roles.OPERATOR
    actions.set_staff_role(user, staff_roles.SUPERVISOR, acting_user=None, source="test")
    assert staff_roles.role_of(user) == staff_roles.SUPERVISOR and user.groups.count() == 1
    event = AuditEvent.objects.filter(action="set_staff_role").first()
    assert event.detail == {"username": "zhangsan", "role": staff_roles.SUPERVISOR, "previous": staff_roles.OPERATOR}
    with pytest.raises(actions.SiteActionError, match="没有“站长”这个角色"):
        actions.set_staff_role(user, "站长", acting_user=None)


def test_the_staff_role_command_explains_bad_input(db):
    missing = run_manage("staff_role", "nobody-here", "--role", staff_roles.OPERATOR, check=False)
    assert missing.returncode != 0 and "平台中没有账号 nobody-here" in missing.stderr
    bad = run_manage("staff_role", "nobody-here", "--role", "站长", check=False)
    assert bad.returncode != 0 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr
