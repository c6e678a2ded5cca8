"""Two-factor login in every site's admin: required of its administrators (the grace set-up, then the code
after the password), a choice for its editors, reset from the console; each step audited for that site."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from tenants import actions
from tenants.models import AuditEvent
from tests.two_factor import code, device_for, without_an_app, wrong_code

VERIFY, SET_UP = "/admin/two-factor/verify/", "/admin/two-factor/"


def password_login(site, username="admin", password=None, **kwargs):
    client = site.client(**kwargs)
    response = client.post("/admin/login/", {"username": username, "password": password or site.password})
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def held_at(response, page):
    return response.status_code == 302 and response["Location"].startswith(page + "?next=")


def site_user(site, username):
    with schema_context(site.schema):
        return get_user_model().objects.get(username=username)


def code_in(site, device, steps_ahead=0):
    """The app's code now (the device is read in its site's schema: a request leaves the connection in public)."""
    with schema_context(site.schema):
        return code(device, steps_ahead)


def wrong_in(site, device):
    with schema_context(site.schema):
        return wrong_code(device)


def reset_throttle(site, device):
    with schema_context(site.schema):
        device.throttle_reset()


def events(site, action):
    return AuditEvent.objects.filter(site=site.site, action=action)


def test_a_site_administrator_without_an_app_sets_one_up_before_any_admin_page(county):
    without_an_app(county.schema, "admin")
    client = password_login(county)
    for path in ("/admin/", "/admin/pages/", "/admin/account/", "/admin/users/", VERIFY):
        assert held_at(client.get(path), SET_UP), path
    page = client.get(SET_UP + "?next=/admin/pages/")
    body = page.content.decode()
    assert page.status_code == 200 and "请先设置两步验证" in body and "网站后台" in body
    assert client.get("/admin/password/").status_code == 200, "the password page stays open"

    assert client.post(SET_UP + "?next=/admin/pages/", {"op": "start"}).status_code == 302
    admin = site_user(county, "admin")
    with schema_context(county.schema):
        pending = TOTPDevice.objects.get(user=admin)
        assert "%E9%94%A6%E6%B1%9F%E5%8C%BA" in pending.config_url, "the app lists it under the site's name"
    assert not TOTPDevice.objects.filter(user_id=admin.pk, confirmed=False).exists(), "not in public"
    assert held_at(client.get("/admin/"), SET_UP), "set up but not confirmed: still held"
    wrong = client.post(SET_UP, {"op": "confirm", "code": wrong_in(county, pending)})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    reset_throttle(county, pending)
    shown = client.post(SET_UP, {"op": "confirm", "code": code_in(county, pending), "next": "/admin/pages/"})
    assert shown.status_code == 200 and "请保存恢复码" in shown.content.decode()
    with schema_context(county.schema):
        assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert 'href="/admin/pages/"' in shown.content.decode()
    assert client.get("/admin/pages/").status_code == 200
    enabled = events(county, "enable_two_factor").get()
    assert enabled.actor is None and enabled.actor_label == "admin" and enabled.site_label == str(county.site)

    again = password_login(county)
    assert held_at(again.get("/admin/"), VERIFY), "the next login asks for the code"


def test_with_an_app_the_admin_waits_for_the_code_and_a_wrong_one_is_audited(county, city):
    without_an_app(county.schema, "admin")
    without_an_app(city.schema, "admin")
    admin = site_user(county, "admin")
    with schema_context(county.schema):
        device = device_for(admin)
    client = password_login(county)
    assert held_at(client.get("/admin/pages/"), VERIFY)
    assert client.post("/admin/pages/add/", {}).status_code == 302  # a change waits too
    refused = client.post(VERIFY, {"code": wrong_in(county, device)})
    assert refused.status_code == 400 and "验证码不正确" in refused.content.decode()
    reset_throttle(county, device)
    verified = client.post(VERIFY, {"code": code_in(county, device), "next": "/admin/pages/"})
    assert verified["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200
    assert events(county, "two_factor_failed").get().actor_label == "admin"
    # The county's app is the county's: the city's administrator is asked to set up its own.
    assert held_at(password_login(city).get("/admin/"), SET_UP)


def test_an_editor_may_work_without_one_or_turn_it_on_and_off(county):
    with schema_context(county.schema):
        editor = get_user_model().objects.create_user("bianji-2fa", password="Tq7#mZ2!rL9x")
        editor.groups.add(Group.objects.get(name="编辑"))
    client = password_login(county, "bianji-2fa", "Tq7#mZ2!rL9x")
    assert client.get("/admin/").status_code == 200, "an editor's password is enough"
    account = client.get("/admin/account/").content.decode()
    assert 'href="/admin/two-factor/"' in account and "两步验证" in account
    assert "是否开启由您自己决定" in client.get(SET_UP).content.decode()

    assert client.post(SET_UP, {"op": "start"}).status_code == 302
    with schema_context(county.schema):
        device = TOTPDevice.objects.get(user=editor)
    assert client.post(SET_UP, {"op": "confirm", "code": code_in(county, device)}).status_code == 200
    assert held_at(password_login(county, "bianji-2fa", "Tq7#mZ2!rL9x").get("/admin/"), VERIFY)
    assert client.post(SET_UP, {"op": "disable", "code": code_in(county, device, 1)}).status_code == 302
    with schema_context(county.schema):
        assert not TOTPDevice.objects.filter(user=editor).exists()
    assert password_login(county, "bianji-2fa", "Tq7#mZ2!rL9x").get("/admin/").status_code == 200
    assert events(county, "disable_two_factor").get().actor_label == "bianji-2fa"


def test_a_site_administrator_cannot_turn_it_off(county):
    client = county.admin_client()
    page = client.get(SET_UP).content.decode()
    assert "必须使用两步验证" in page and "关闭两步验证" not in page
    with schema_context(county.schema):
        device = TOTPDevice.objects.get(user__username="admin", confirmed=True)
    refused = client.post(SET_UP, {"op": "disable", "code": code_in(county, device, 1)}, follow=True)
    assert "管理员账号必须使用两步验证，不能关闭" in refused.content.decode()
    with schema_context(county.schema):
        assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_console_resets_a_site_accounts_lost_phone(county, security_client, security_admin):
    laptop = county.admin_client()
    page = security_client.get(f"/sites/{county.site.pk}/accounts/").content.decode()
    assert "重置 admin 的两步验证" in page and "已开启" in page
    response = security_client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "reset_two_factor"},
                                   follow=True)
    assert "已重置账号 admin 的两步验证" in response.content.decode()
    with schema_context(county.schema):
        assert not TOTPDevice.objects.filter(user__username="admin").exists()
    event = events(county, "reset_site_two_factor").get()
    assert event.actor == security_admin and event.detail["username"] == "admin"
    assert event.detail["sessions_ended"] >= 1  # and any a browser test left committed
    assert laptop.get("/admin/")["Location"].startswith("/admin/login/"), "its sessions ended"
    assert held_at(password_login(county).get("/admin/"), SET_UP), "and it sets up a new one"
    page = security_client.get(f"/sites/{county.site.pk}/accounts/").content.decode()
    assert "未设置（登录后须先设置）" in page


def test_a_recovery_code_works_in_a_site_too(county):
    client = county.admin_client()
    admin = site_user(county, "admin")
    with schema_context(county.schema):
        codes = actions.new_recovery_codes(acting_user=admin)
    fresh = password_login(county)
    assert fresh.post(VERIFY, {"code": codes[3]}).status_code == 302
    assert fresh.get("/admin/").status_code == 200
    assert events(county, "recovery_code_used").get().detail == {"username": "admin", "codes_left": 9}
    assert client.get("/admin/").status_code == 200
