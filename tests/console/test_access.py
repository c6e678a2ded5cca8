"""Platform staff roles under 三员分立: the system administrator runs the sites, the security administrator the
accounts, the audit administrator reads the trail, and none of them can do the others' work or give
themselves another role; operators run sites' everyday life, a supervisor only reads."""

import importlib
import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from tenants import actions, staff_roles
from tenants.models import AuditEvent, Domain, EmergencyRole, GovSite, SiteJob
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
        ("/wording/terms/add/", {"text": "测试词语", "kind": "suspect"}),
        ("/wording/terms/1/delete/", {}),
        ("/wording/terms/import/", {}),
        ("/wording/leaders/add/", {"name": "张明", "title": "省长", "rank": "1"}),
        ("/wording/leaders/1/delete/", {}),
    ]


def refused(response):
    return response.status_code == 403 and "不能进行这项操作" in response.content.decode()


def test_a_supervisor_sees_the_sites_not_the_trail_and_every_console_post_is_refused(county):
    _, supervisor = staff("jiandu", staff_roles.SUPERVISOR)
    for path in ("/", f"/sites/{county.site.pk}/", "/search-stats/", "/health/"):
        page = supervisor.get(path)
        assert page.status_code == 200, path
        assert "暂停站点" not in page.content.decode() and "添加域名" not in page.content.decode()
    assert refused(supervisor.get("/audit/")) and refused(supervisor.get("/staff/"))
    events, domains = AuditEvent.objects.count(), Domain.objects.count()
    for path, data in console_posts(county.site):
        response = supervisor.post(path, data)
        assert refused(response), path
        assert "监督员只读" in response.content.decode()
    assert supervisor.get("/sites/new/").status_code == 403
    assert AuditEvent.objects.count() == events and Domain.objects.count() == domains
    assert not SiteJob.objects.exists(), "nothing was queued either"
    assert GovSite.objects.get(pk=county.site.pk).status == "active"
    assert not GovSite.objects.filter(region_code="510199").exists()


def test_an_account_without_a_role_reaches_only_its_own_login_settings(county):
    _, nobody = staff("xinren")
    for path in ("/", f"/sites/{county.site.pk}/", "/audit/", "/staff/"):
        assert refused(nobody.get(path)), path
    assert "尚未分配角色" in nobody.get("/").content.decode()
    assert nobody.get("/two-factor/").status_code == 200
    assert refused(nobody.post(f"/sites/{county.site.pk}/suspend/"))


def test_the_superuser_flag_gives_no_role(county):
    user = get_user_model().objects.create_superuser("chaoji", "", "Tq7#mZ2!rL9x", is_staff=True)
    client = signed_in(user)
    assert refused(client.get("/")) and refused(client.post(f"/sites/{county.site.pk}/suspend/"))
    assert refused(client.get("/audit/"))


def test_an_operator_runs_sites_but_does_not_delete_restore_or_fold_them(county, township):
    _, operator = staff("yunwei", staff_roles.OPERATOR)
    assert operator.post(f"/sites/{county.site.pk}/suspend/").status_code == 302
    assert GovSite.objects.get(pk=county.site.pk).status == "suspended"
    assert "yunwei" in AuditEvent.objects.filter(action="suspend_site").first().actor_label
    assert refused(operator.post(f"/sites/{county.site.pk}/delete/", {"confirm_name": county.site.name}))
    assert refused(operator.post(f"/sites/{township.site.pk}/fold/", {}))
    assert refused(operator.post("/backups/1/restore/", {}))
    assert GovSite.objects.filter(pk=county.site.pk).exists() and not SiteJob.objects.exists()


def test_each_of_the_three_administrators_is_refused_the_others_work(county):
    system_user, system = staff("xitong", staff_roles.SYSTEM)
    security_user, security = staff("anquan", staff_roles.SECURITY)
    _, auditor = staff("shenji", staff_roles.AUDITOR)
    other = StaffFactory(username="putong", role=staff_roles.SUPERVISOR)
    site_accounts = f"/sites/{county.site.pk}/accounts/"
    new_editor = {"username": "xiaoli", "name": "小李", "email": "", "group": "编辑"}

    # The system administrator: sites, and opening accounts; not roles, site accounts or the trail.
    assert system.post(f"/sites/{county.site.pk}/suspend/").status_code == 302
    assert system.post("/staff/", {"username": "xinyuangong"}).status_code == 201
    assert refused(system.post("/staff/putong/", {"op": "role", "role": staff_roles.SYSTEM}))
    assert refused(system.post(site_accounts, new_editor))
    assert refused(system.post(f"{site_accounts}admin/", {"op": "reset"}))
    assert refused(system.get("/audit/")) and refused(system.get("/audit/?format=csv"))
    with pytest.raises(actions.SiteActionError, match="只有安全管理员可以设置工作人员的角色"):
        actions.set_staff_role(other, staff_roles.SYSTEM, acting_user=system_user)

    # The security administrator: roles and accounts; not sites, opening staff accounts or the trail.
    assert refused(security.post(f"/sites/{county.site.pk}/resume/"))
    assert refused(security.post("/sites/new/", console_posts(county.site)[0][1]))
    assert refused(security.post("/staff/", {"username": "anquan-xin"}))
    assert refused(security.get("/audit/"))
    assert security.post("/staff/putong/", {"op": "role", "role": staff_roles.OPERATOR}).status_code == 302
    assert staff_roles.role_of(get_user_model().objects.get(username="putong")) == staff_roles.OPERATOR
    assert security.post(site_accounts, new_editor).status_code == 201

    # The audit administrator: the trail, and nothing else.
    assert auditor.get("/")["Location"] == "/audit/"
    assert auditor.get("/audit/").status_code == 200
    assert auditor.get("/audit/?format=csv").status_code == 200
    for path in (f"/sites/{county.site.pk}/", "/health/", "/staff/", site_accounts, "/backups/", "/jobs/"):
        assert refused(auditor.get(path)), path
    assert refused(auditor.post(f"/sites/{county.site.pk}/resume/"))
    assert refused(auditor.post("/staff/putong/", {"op": "role", "role": staff_roles.AUDITOR}))
    assert refused(auditor.post(site_accounts, new_editor))

    assert GovSite.objects.get(pk=county.site.pk).status == "suspended", "only the system administrator's change"
    assert not get_user_model().objects.filter(username="anquan-xin").exists()
    assert staff_roles.role_of(security_user) == staff_roles.SECURITY and system_user.groups.count() == 1


def test_no_one_gives_themselves_a_role_or_changes_their_own_account(db):
    user, security = staff("anquan-zi", staff_roles.SECURITY)
    response = security.post("/staff/anquan-zi/", {"op": "role", "role": staff_roles.SYSTEM}, follow=True)
    assert "不能修改自己的账号" in response.content.decode()
    response = security.post("/staff/anquan-zi/", {"op": "disable"}, follow=True)
    assert "不能停用或启用自己的账号" in response.content.decode()
    user = get_user_model().objects.get(pk=user.pk)
    assert staff_roles.role_of(user) == staff_roles.SECURITY and user.is_active
    assert not AuditEvent.objects.filter(action__in=["set_staff_role", "disable_staff_account"]).exists()
    assert "—（本人）" in security.get("/staff/").content.decode()


def test_a_new_staff_account_has_no_role_until_the_security_administrator_gives_one(db):
    _, system = staff("xitong-kai", staff_roles.SYSTEM)
    _, security = staff("anquan-fen", staff_roles.SECURITY)
    opened = system.post("/staff/", {"username": "xinren-2", "name": "新人", "email": "xr@example.gov.cn"})
    assert opened.status_code == 201 and "首次登录时须修改密码并设置两步验证" in opened.content.decode()
    newcomer = get_user_model().objects.get(username="xinren-2")
    assert staff_roles.role_of(newcomer) is None and newcomer.is_staff and not newcomer.is_superuser
    assert AuditEvent.objects.get(action="create_staff_account").detail == {"username": "xinren-2", "role": ""}
    with pytest.raises(actions.SiteActionError, match="角色由安全管理员"):
        actions.create_staff_account("xinren-3", role=staff_roles.SYSTEM, acting_user=newcomer)
    duplicate = system.post("/staff/", {"username": "xinren-2"})
    assert duplicate.status_code == 400 and "平台中已有账号 xinren-2" in duplicate.content.decode()
    bad = system.post("/staff/", {"username": "有 空格", "email": "not-an-address"})
    assert bad.status_code == 400 and "用户名为" in bad.content.decode()

    assert security.post("/staff/xinren-2/", {"op": "role", "role": staff_roles.OPERATOR}).status_code == 302
    staff_roles.forget(newcomer)
    assert staff_roles.role_of(newcomer) == staff_roles.OPERATOR
    assert security.post("/staff/xinren-2/", {"op": "disable"}).status_code == 302
    assert not get_user_model().objects.get(username="xinren-2").is_active
    assert AuditEvent.objects.filter(action="disable_staff_account").get().detail["username"] == "xinren-2"
    page = security.post("/staff/xinren-2/", {"op": "role", "role": "站长"}, follow=True).content.decode()
    assert "没有“站长”这个角色" in page


def test_break_glass_gives_a_role_for_a_while_and_it_is_audited(county):
    user, client = staff("jinji", staff_roles.SUPERVISOR)
    assert refused(client.post(f"/sites/{county.site.pk}/suspend/"))
    out = io.StringIO()
    call_command("break_glass", "jinji", role=staff_roles.SYSTEM, reason="系统管理员出差，站点须立即暂停", minutes=30,
                 stdout=out)
    assert "临时成为系统管理员" in out.getvalue()
    event = AuditEvent.objects.get(action="break_glass")
    assert event.actor is None and event.actor_label.startswith("cli:")
    assert event.detail["role"] == staff_roles.SYSTEM and event.detail["minutes"] == 30
    page = client.get("/").content.decode()
    assert "紧急授权" in page and "系统管理员" in page
    assert client.post(f"/sites/{county.site.pk}/suspend/").status_code == 302

    EmergencyRole.objects.filter(user=user).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert refused(client.post(f"/sites/{county.site.pk}/resume/")), "over by itself"
    actions.break_glass(user, staff_roles.SYSTEM, reason="再次紧急处理", minutes=5)
    out = io.StringIO()
    call_command("break_glass", "jinji", end=True, stdout=out)
    assert "已结束" in out.getvalue()
    assert refused(client.post(f"/sites/{county.site.pk}/resume/"))
    assert AuditEvent.objects.filter(action="end_break_glass").count() == 1

    for options, message in (
        ({"role": staff_roles.SYSTEM}, "请写明紧急授权的原因"),
        ({"role": staff_roles.SYSTEM, "reason": "很急很急", "minutes": 600}, "紧急授权时长为 1–240 分钟"),
        ({"reason": "很急很急"}, "请用 --role 指定临时角色"),
        ({"end": True}, "没有生效中的紧急授权"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("break_glass", "jinji", **options)
    failed = run_manage("break_glass", "nobody-here", "--role", staff_roles.SYSTEM, "--reason", "很急很急", check=False)
    assert failed.returncode != 0 and "平台中没有工作人员账号 nobody-here" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert AuditEvent.objects.filter(action="break_glass").count() == 2


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


def test_the_staff_commands_explain_bad_input(db):
    missing = run_manage("staff_role", "nobody-here", "--role", staff_roles.OPERATOR, check=False)
    assert missing.returncode != 0 and "平台中没有账号 nobody-here" in missing.stderr
    bad = run_manage("staff_role", "nobody-here", "--role", "站长", check=False)
    assert bad.returncode != 0 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr
    out = io.StringIO()
    call_command("create_staff", "shenji-cli", role=staff_roles.AUDITOR, stdout=out)
    assert "已开设 shenji-cli（审计管理员）" in out.getvalue()
    assert staff_roles.role_of(get_user_model().objects.get(username="shenji-cli")) == staff_roles.AUDITOR
    with pytest.raises(CommandError, match="平台中已有账号 shenji-cli"):
        call_command("create_staff", "shenji-cli")


def test_the_upgrade_makes_the_old_platform_administrators_system_administrators(db):
    """Migration 0011: 平台管理员 and role-less superusers become 系统管理员; nobody becomes security or audit."""
    split_roles = importlib.import_module("tenants.migrations.0011_staff_duties").split_roles
    Group.objects.filter(name=staff_roles.SYSTEM).update(name="平台管理员")
    for name in (staff_roles.SECURITY, staff_roles.AUDITOR):  # as before the upgrade (renamed: no cascade)
        Group.objects.filter(name=name).update(name=f"旧-{name}")
    old_admin = StaffFactory(username="jiu-guanli", role="平台管理员")
    superuser = get_user_model().objects.create_superuser("jiu-chaoji", "", "Tq7#mZ2!rL9x", is_staff=True)
    operator = StaffFactory(username="jiu-yunwei", role=staff_roles.OPERATOR)
    split_roles(apps, None)
    assert not Group.objects.filter(name="平台管理员").exists()
    assert {staff_roles.role_of(u) for u in (old_admin, superuser)} == {staff_roles.SYSTEM}
    assert staff_roles.role_of(operator) == staff_roles.OPERATOR
    assert Group.objects.filter(name__in=staff_roles.ROLES).count() == len(staff_roles.ROLES)
    assert not get_user_model().objects.filter(groups__name__in=[staff_roles.SECURITY, staff_roles.AUDITOR]).exists()
