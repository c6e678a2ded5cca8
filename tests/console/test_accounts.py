"""Site editors' accounts from the console: list, create, disable, enable, reset; administrators only."""

import re

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from tenants import accounts, actions, staff_roles
from tenants.models import AuditEvent
from tests.factories import StaffFactory
from tests.two_factor import signed_in


def password_shown(response):
    return re.search(r'<code id="password">([^<]+)</code>', response.content.decode()).group(1)


def test_an_administrator_creates_an_editor_who_can_sign_in_to_that_site_only(security_client, county, city):
    page = security_client.get(f"/sites/{county.site.pk}/accounts/")
    assert page.status_code == 200 and "admin" in page.content.decode()
    created = security_client.post(f"/sites/{county.site.pk}/accounts/", {
        "username": "wangwu", "name": "王五", "email": "wangwu@example.gov.cn", "group": "编辑",
    })
    assert created.status_code == 201
    password = password_shown(created)
    assert county.client().post("/admin/login/", {"username": "wangwu", "password": password}).status_code == 302
    assert city.client().post("/admin/login/", {"username": "wangwu", "password": password}).status_code == 200
    with schema_context(county.schema):
        user = get_user_model().objects.get(username="wangwu")
        assert [g.name for g in user.groups.all()] == ["编辑"] and password not in user.password
    event = AuditEvent.objects.get(action="create_site_account")
    assert event.site_id == county.site.pk and event.detail == {"username": "wangwu", "group": "编辑"}
    assert password not in str(event.detail)


def test_disabling_ends_the_editors_sessions_and_reset_gives_a_new_password(security_client, county):
    editor = county.admin_client()
    assert editor.get("/admin/").status_code == 200
    response = security_client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "disable"})
    assert response.status_code == 302
    assert editor.get("/admin/").status_code == 302, "the disabled editor's session must end"
    assert county.client().post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 200

    assert security_client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "enable"}).status_code == 302
    reset = security_client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "reset"})
    new_password = password_shown(reset)
    client = county.client()
    assert client.post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 200
    assert client.post("/admin/login/", {"username": "admin", "password": new_password}).status_code == 302
    actions = list(AuditEvent.objects.filter(site=county.site, action__contains="site_account").values_list(
        "action", flat=True))
    assert sorted(actions) == ["disable_site_account", "enable_site_account", "reset_site_account_password"]


def test_bad_input_is_explained_and_changes_nothing(security_client, county):
    url = f"/sites/{county.site.pk}/accounts/"
    for data, message in (
        ({"username": "admin", "group": "编辑"}, "已有账号 admin"),
        ({"username": "bad name!", "group": "编辑"}, "用户名为"),
        ({"username": "zhaoliu", "group": "站长"}, "选择一个有效的选项"),
        ({"username": "zhaoliu", "group": "编辑", "email": "not-an-address"}, "有效的电子邮件"),
    ):
        response = security_client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), data
    missing = security_client.post(f"/sites/{county.site.pk}/accounts/nobody/", {"op": "reset"})
    assert missing.status_code == 302
    assert "没有账号 nobody" in security_client.get(url).content.decode()
    assert security_client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "explode"}).status_code == 302
    with schema_context(county.schema):
        assert not get_user_model().objects.filter(username="zhaoliu").exists()


@pytest.mark.parametrize("role", [staff_roles.OPERATOR, staff_roles.SUPERVISOR])
def test_only_administrators_change_site_accounts(county, role):
    user = StaffFactory(username=f"staff-{role}", role=role)
    client = signed_in(user)
    page = client.get(f"/sites/{county.site.pk}/accounts/")
    assert page.status_code == 200 and "新建账号" not in page.content.decode()
    assert client.post(f"/sites/{county.site.pk}/accounts/", {"username": "x1", "group": "编辑"}).status_code == 403
    assert client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "disable"}).status_code == 403
    with schema_context(county.schema):
        assert get_user_model().objects.get(username="admin").is_active


def test_the_functions_refuse_to_run_inside_a_site(county):
    with schema_context(county.schema), pytest.raises(Exception, match="public"):
        accounts.list_accounts(county.site)


def test_finding_a_person_across_every_site(console_client, county, township):
    actions.create_account(county.site, username="zhangsan", name="张三", email="zs@jinjiang.gov.cn",
                                 group="审核", acting_user=None)
    actions.create_account(township.site, username="zhangsan-cxl", name="张三", email="",
                                 acting_user=None)
    page = console_client.get("/accounts/", {"q": "张三"}).content.decode()
    assert "找到 2 个账号" in page
    assert "锦江区" in page and "春熙路街道" in page and "审核" in page and "编辑" in page
    assert "找到 1 个账号" in console_client.get("/accounts/", {"q": "zs@jinjiang"}).content.decode()
    # LIKE wildcards and quotes are text, not patterns or SQL.
    for text in ("%", "_", "' OR 1=1 --", "\\"):
        response = console_client.get("/accounts/", {"q": text})
        assert response.status_code == 200 and "找到 0 个账号" in response.content.decode(), text
    assert console_client.get("/accounts/").status_code == 200
