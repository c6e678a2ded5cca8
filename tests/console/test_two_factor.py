"""Two-factor login for console staff, required of every account: the grace set-up, the code after the
password, recovery codes, a move to a new phone, resets.

Codes are computed with django-otp's own TOTP from the device's key, as an authenticator app would.
"""

from base64 import b32encode

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import CASCADE
from django.db.models.deletion import Collector
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from tenants import actions, jobs, staff_roles
from tenants.models import AuditEvent, GovSite, JobKind, SiteJob
from tests.factories import STAFF_PASSWORD, StaffFactory
from tests.two_factor import code, device_for, signed_in, wrong_code

PASSWORD = STAFF_PASSWORD  # StaffFactory's accounts sign in with it


def password_login(username):
    client = Client(HTTP_HOST="localhost")
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/", "password login failed"
    return client


def verified_login(user, device):
    client = password_login(user.get_username())
    assert client.post("/login/verify/", {"code": code(device)}).status_code == 302
    assert client.get("/").status_code == 200
    return client


def held_at(response, page, next_path=None):
    """Whether the response sends the session to `page` (/login/verify/ or /two-factor/)."""
    location = response.get("Location", "")
    if response.status_code != 302 or not location.startswith(page):
        return False
    return next_path is None or location == f"{page}?next={next_path.replace('/', '%2F')}"


def goes_to_verify(response, next_path=None):
    return held_at(response, "/login/verify/", next_path)


def goes_to_set_up(response, next_path=None):
    return held_at(response, "/two-factor/", next_path)


def test_an_account_without_an_app_reaches_only_the_set_up_page_until_it_has_one(county):
    user = StaffFactory(username="wu-shebei", role=staff_roles.OPERATOR)
    client = password_login("wu-shebei")
    for path in ("/", "/audit/", f"/sites/{county.site.pk}/", "/sites/new/", "/login/verify/"):
        assert goes_to_set_up(client.get(path), path), path
    events = AuditEvent.objects.count()
    assert goes_to_set_up(client.post(f"/sites/{county.site.pk}/suspend/"))
    assert GovSite.objects.get(pk=county.site.pk).status == "active" and AuditEvent.objects.count() == events
    page = client.get("/two-factor/?next=/health/")
    assert page.status_code == 200 and "请先设置两步验证" in page.content.decode()
    assert "必须使用两步验证" in page.content.decode()
    assert client.get("/password/").status_code == 200, "the password page stays open"

    assert client.post("/two-factor/?next=/health/", {"op": "start", "next": "/health/"}).status_code == 302
    pending = TOTPDevice.objects.get(user=user)
    assert goes_to_set_up(client.get("/")), "a device set up but not confirmed lets nothing through"
    shown = client.post("/two-factor/", {"op": "confirm", "code": code(pending), "next": "/health/"})
    page = shown.content.decode()
    assert shown.status_code == 200 and "请保存恢复码" in page and shown["Cache-Control"] == "no-store"
    codes = [t.token for t in StaticToken.objects.filter(device__user=user)]
    assert len(codes) == 10 and all(f"{c[:4]}-{c[4:]}" in page for c in codes)
    assert 'href="/health/"' in page, "on to the page the gate had stopped"
    assert client.get("/health/").status_code == 200
    assert client.get(f"/sites/{county.site.pk}/").status_code == 200
    assert AuditEvent.objects.get(action="enable_two_factor").detail == {"username": "wu-shebei",
                                                                          "replaced_device": False}
    assert goes_to_verify(password_login("wu-shebei").get("/")), "the next login asks for the code"


def test_with_an_app_every_console_page_waits_for_the_code(county):
    user = StaffFactory(username="you-shebei", role=staff_roles.OPERATOR)
    device = device_for(user)
    client = password_login("you-shebei")
    for path in ("/", "/audit/", "/search-stats/", f"/sites/{county.site.pk}/", "/two-factor/", "/password/",
                 f"/sites/{county.site.pk}/accounts/"):
        assert goes_to_verify(client.get(path), path), path
    events = AuditEvent.objects.count()
    assert goes_to_verify(client.post(f"/sites/{county.site.pk}/suspend/"))
    assert GovSite.objects.get(pk=county.site.pk).status == "active" and AuditEvent.objects.count() == events

    page = client.get("/login/verify/?next=/audit/")
    assert page.status_code == 200 and "输入验证码" in page.content.decode()
    session_before = client.cookies["sessionid"].value
    response = client.post("/login/verify/", {"code": code(device), "next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert client.cookies["sessionid"].value != session_before  # a new session key once fully signed in
    assert client.get("/").status_code == 200
    assert client.get(f"/sites/{county.site.pk}/").status_code == 200
    # Verified: the code page sends the session on. Another login of the same account asks again.
    assert client.get("/login/verify/?next=/audit/")["Location"] == "/audit/"
    assert goes_to_verify(password_login("you-shebei").get("/"))


def test_a_wrong_code_is_refused_audited_and_repeated_failures_are_throttled(db, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # waits of 60, 120... seconds: the test cannot outrun them
    user = StaffFactory(username="cuowu", role=staff_roles.SUPERVISOR)
    device = device_for(user)
    client = password_login("cuowu")
    right, wrong = code(device), wrong_code(device)

    malformed = client.post("/login/verify/", {"code": "12ab56"})
    assert malformed.status_code == 400 and "6 位数字" in malformed.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # not a guess: not counted

    refused = client.post("/login/verify/", {"code": wrong})
    assert refused.status_code == 400 and "验证码不正确" in refused.content.decode()
    assert goes_to_verify(client.get("/"))
    failed = AuditEvent.objects.get(action="two_factor_failed")
    assert failed.actor == user and failed.site is None

    # Straight after a failure even the right code is refused, with django-otp's throttle explained.
    throttled = client.post("/login/verify/", {"code": right})
    page = throttled.content.decode()
    assert throttled.status_code == 400 and "验证码已连续错误 1 次，验证暂时停用" in page and "秒后再试" in page
    assert goes_to_verify(client.get("/"))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # refused while throttled: not counted again

    # Once the wait is over, the right code gets in (and resets the count).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timezone.timedelta(minutes=5)
    )
    assert client.post("/login/verify/", {"code": right}).status_code == 302
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_stands_in_for_the_phone_once(db):
    user = StaffFactory(username="huifu", role=staff_roles.AUDITOR)
    client = signed_in(user)
    codes = actions.new_recovery_codes(acting_user=user)
    assert len(set(codes)) == 10

    first = password_login("huifu")
    response = first.post("/login/verify/", {"code": codes[0].upper(), "next": "/audit/"})  # as printed, any case
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert "还剩 9 个" in first.get("/audit/").content.decode()
    used = AuditEvent.objects.get(action="recovery_code_used")
    assert used.actor == user and used.detail == {"username": "huifu", "codes_left": 9}

    again = password_login("huifu").post("/login/verify/", {"code": codes[0]})
    assert again.status_code == 400 and "恢复码不正确或已经用过" in again.content.decode()

    # New codes replace the old ones, shown once.
    page = client.post("/two-factor/", {"op": "codes"}).content.decode()
    assert "新的恢复码" in page and "之前的恢复码已经作废" in page
    refused = password_login("huifu").post("/login/verify/", {"code": codes[1]})
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(action="new_recovery_codes").count() == 2


def test_setting_up_shows_the_secret_and_a_qr_code(db):
    user = StaffFactory(username="shezhi", role=staff_roles.OPERATOR)
    client = password_login("shezhi")
    assert client.post("/two-factor/", {"op": "start"}).status_code == 302
    pending = TOTPDevice.objects.get(user=user)
    page = client.get("/two-factor/").content.decode()
    secret = b32encode(pending.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert "<svg" in page and 'aria-label="两步验证设置二维码"' in page
    assert "<script" not in page and "<img" not in page  # inline SVG, nothing fetched
    assert "issuer=%E6%94%BF%E5%BA%9C%E7%BD%91%E7%AB%99%E9%9B%86%E7%BA%A6%E5%8C%96%E5%B9%B3%E5%8F%B0" in \
        pending.config_url  # the app lists it as 政府网站集约化平台

    wrong = client.post("/two-factor/", {"op": "confirm", "code": wrong_code(pending)})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed
    assert not AuditEvent.objects.filter(action="enable_two_factor").exists()


def test_a_new_phone_replaces_the_old_one_only_once_confirmed_and_it_cannot_be_turned_off(db):
    user = StaffFactory(username="huanji", role=staff_roles.SUPERVISOR)
    old = device_for(user)
    client = verified_login(user, old)
    page = client.get("/two-factor/").content.decode()
    assert "更换验证器" in page and "关闭两步验证" not in page

    refused = client.post("/two-factor/", {"op": "disable", "code": code(old, 1)}, follow=True)
    assert "管理员账号必须使用两步验证" in refused.content.decode()
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()

    assert client.post("/two-factor/", {"op": "start"}).status_code == 302
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists(), "the old phone works meanwhile"
    assert client.post("/two-factor/", {"op": "confirm", "code": code(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert AuditEvent.objects.get(action="enable_two_factor").detail["replaced_device"] is True


def test_the_security_administrator_resets_a_lost_phone_and_it_is_audited(security_client, security_admin):
    lost = StaffFactory(username="diushouji", role=staff_roles.OPERATOR)
    device_for(lost)
    device_for(lost, confirmed=False)  # an unfinished set-up goes too
    lost_codes = actions.new_recovery_codes(acting_user=lost)
    page = security_client.get("/staff/").content.decode()
    assert "重置 diushouji 的两步验证" in page

    laptop = signed_in(lost)  # the session on the laptop that went with the phone
    response = security_client.post("/staff/diushouji/", {"op": "reset_two_factor"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=lost).exists()
    assert not StaticToken.objects.filter(device__user=lost).exists()
    event = AuditEvent.objects.get(action="reset_staff_two_factor")
    assert event.actor == security_admin and event.detail == {"username": "diushouji", "sessions_ended": 1}
    assert laptop.get("/")["Location"].startswith("/login/"), "the reset ends the account's sessions"
    assert event.action_display == "重置工作人员的两步验证"
    after = password_login("diushouji")
    assert goes_to_set_up(after.get("/")), "the next login sets up a new phone"
    assert after.post("/login/verify/", {"code": lost_codes[0]}).status_code == 302  # nothing to verify
    assert goes_to_set_up(after.get("/"))

    again = security_client.post("/staff/diushouji/", {"op": "reset_two_factor"}, follow=True)
    assert "diushouji 没有开启两步验证" in again.content.decode()
    with pytest.raises(actions.SiteActionError, match="不能重置自己的两步验证"):
        actions.reset_staff_two_factor(security_admin, acting_user=security_admin, source="test")
    assert AuditEvent.objects.filter(action="reset_staff_two_factor").count() == 1


def test_only_the_security_administrator_resets_anyone(db):
    target = StaffFactory(username="mubiao", role=staff_roles.OPERATOR)
    device_for(target)
    for role in (staff_roles.SUPERVISOR, staff_roles.OPERATOR, staff_roles.SYSTEM, staff_roles.AUDITOR):
        client = signed_in(StaffFactory(username=f"2fa-{role}", role=role))
        response = client.post("/staff/mubiao/", {"op": "reset_two_factor"})
        assert response.status_code == 403 and "不能进行这项操作" in response.content.decode(), role
    assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="reset_staff_two_factor").exists()


def test_the_cli_resets_the_only_administrators_device(platform_admin):
    device_for(platform_admin)
    call_command("reset_two_factor", "console-admin")
    assert not TOTPDevice.objects.filter(user=platform_admin).exists()
    event = AuditEvent.objects.get(action="reset_staff_two_factor")
    assert event.actor is None and event.actor_label.startswith("cli:")
    with pytest.raises(CommandError, match="平台中没有工作人员账号 nobody"):
        call_command("reset_two_factor", "nobody")


def test_a_sites_devices_are_its_own_and_deleting_a_site_account_keeps_the_staff_device_with_the_same_id(county):
    def tables(schema):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_name LIKE 'otp%%'",
                [schema],
            )
            return {row[0] for row in cursor.fetchall()}

    assert {"otp_totp_totpdevice", "otp_static_staticdevice"} <= tables("public")
    assert tables(county.schema) == tables("public")

    staffer = StaffFactory(username="tongyige-id")
    device_for(staffer)
    job = jobs.start(JobKind.BACKUP, site=county.site, acting_user=staffer)
    User = get_user_model()
    with schema_context(county.schema):
        User.objects.filter(pk=staffer.pk).delete()  # make room: ids depend on what ran before
        site_account = User.objects.create_user("bianji-tong-id", password=PASSWORD)
        User.objects.filter(pk=site_account.pk).update(id=staffer.pk)  # the same id in the site's own table
        site_account = User.objects.get(pk=staffer.pk)
        device_for(site_account)  # the site account's own app, in the site's table
        site_account.delete()
        assert not TOTPDevice.objects.filter(user_id=staffer.pk).exists(), "the site's device went with it"
    assert TOTPDevice.objects.filter(user=staffer).exists()
    assert SiteJob.objects.get(pk=job.pk).requested_by == staffer, "the staff member's job still names them"
    # In public the device still goes with its account (CASCADE).
    on_delete = TOTPDevice._meta.get_field("user").remote_field.on_delete
    collector = Collector(using="default")
    on_delete(collector, TOTPDevice._meta.get_field("user"), TOTPDevice.objects.filter(user=staffer), "default")
    assert [d.user_id for d in collector.data[TOTPDevice]] == [staffer.pk]
    assert on_delete == CASCADE
