"""Optional two-factor login (TOTP) for console staff: the code after the password, set-up, turning off, resets.

Codes are computed with django-otp's own TOTP from the device's key, as an authenticator app would.
"""

from base64 import b32encode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import CASCADE
from django.db.models.deletion import Collector
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from tenants import actions, jobs, staff_roles
from tenants.models import AuditEvent, GovSite, JobKind, SiteJob
from tests.factories import STAFF_PASSWORD, StaffFactory

PASSWORD = STAFF_PASSWORD  # StaffFactory's accounts sign in with it


def device_for(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=confirmed)


def code(device, steps_ahead=0):
    """The code the app shows now (or `steps_ahead` periods from now: a code is accepted once only)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def wrong_code(device):
    """A code no window of the device accepts now."""
    accepted = {code(device, steps) for steps in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in accepted)


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


def goes_to_verify(response, next_path=None):
    location = response.get("Location", "")
    if response.status_code != 302 or not location.startswith("/login/verify/"):
        return False
    return next_path is None or location == f"/login/verify/?next={next_path.replace('/', '%2F')}"


def test_without_a_device_the_password_is_enough(county):
    user = StaffFactory(username="wu-shebei", role=staff_roles.OPERATOR)
    client = password_login("wu-shebei")
    page = client.get("/")
    assert page.status_code == 200 and "站点（共" in page.content.decode()
    assert client.get(f"/sites/{county.site.pk}/").status_code == 200
    # Nothing to verify: the code page sends the account on.
    assert client.get("/login/verify/?next=/audit/")["Location"] == "/audit/"
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_with_a_device_every_console_page_waits_for_the_code(county):
    user = StaffFactory(username="you-shebei", role=staff_roles.OPERATOR)
    device = device_for(user)
    client = password_login("you-shebei")
    for path in ("/", "/audit/", "/search-stats/", f"/sites/{county.site.pk}/", "/two-factor/",
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
    # Another login of the same account asks again.
    assert goes_to_verify(password_login("you-shebei").get("/"))


def test_a_wrong_code_is_refused_and_repeated_failures_are_throttled(db, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # waits of 60, 120... seconds: the test cannot outrun them
    user = StaffFactory(username="cuowu")
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


def test_setting_up_shows_the_secret_and_a_qr_code_and_a_code_confirms_it(db):
    user = StaffFactory(username="shezhi", role=staff_roles.OPERATOR)
    client = password_login("shezhi")
    page = client.get("/two-factor/").content.decode()
    assert "未开启" in page and "开始设置" in page
    assert 'href="/two-factor/"' in client.get("/").content.decode()  # in the console's navigation

    assert client.post("/two-factor/", {"op": "start"}).status_code == 302
    pending = TOTPDevice.objects.get(user=user)
    assert not pending.confirmed
    page = client.get("/two-factor/").content.decode()
    secret = b32encode(pending.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert "<svg" in page and 'aria-label="两步验证设置二维码"' in page
    assert "<script" not in page and "<img" not in page  # inline SVG, nothing fetched
    # Not confirmed yet: logging in again asks for no code.
    assert password_login("shezhi").get("/").status_code == 200

    wrong = client.post("/two-factor/", {"op": "confirm", "code": wrong_code(pending)})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed
    assert not AuditEvent.objects.filter(action="enable_two_factor").exists()

    pending.throttle_reset()
    confirmed = client.post("/two-factor/", {"op": "confirm", "code": code(pending)})
    assert confirmed.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    event = AuditEvent.objects.get(action="enable_two_factor")
    assert event.actor == user and event.detail == {"username": "shezhi"}
    # This session has just shown a code; the next login must.
    assert client.get("/").status_code == 200
    assert "已开启" in client.get("/two-factor/").content.decode()
    assert "开启两步验证" in client.get("/audit/").content.decode()
    assert goes_to_verify(password_login("shezhi").get("/"))


def test_turning_it_off_needs_a_current_code(db):
    user = StaffFactory(username="guanbi")
    device = device_for(user)
    client = verified_login(user, device)
    assert "关闭两步验证" in client.get("/two-factor/").content.decode()

    missing = client.post("/two-factor/", {"op": "disable", "code": ""})
    assert missing.status_code == 400 and TOTPDevice.objects.filter(user=user).exists()
    wrong = client.post("/two-factor/", {"op": "disable", "code": wrong_code(device)})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="disable_two_factor").exists()

    device.throttle_reset()
    # The code of the login was used; the next one the app shows turns it off.
    assert client.post("/two-factor/", {"op": "disable", "code": code(device, 1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="disable_two_factor")
    assert event.actor == user and event.detail == {"username": "guanbi"}
    assert password_login("guanbi").get("/").status_code == 200


def test_an_administrator_resets_a_lost_phone_and_it_is_audited(console_client, platform_admin):
    lost = StaffFactory(username="diushouji", role=staff_roles.OPERATOR)
    device_for(lost)
    device_for(lost, confirmed=False)  # an unfinished set-up goes too
    page = console_client.get("/two-factor/").content.decode()
    assert "重置 diushouji 的两步验证" in page

    signed_in = Client(HTTP_HOST="localhost")
    signed_in.force_login(lost)  # the session on the laptop that went with the phone
    response = console_client.post("/two-factor/reset/", {"username": "diushouji"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=lost).exists()
    event = AuditEvent.objects.get(action="reset_staff_two_factor")
    assert event.actor == platform_admin and event.detail == {"username": "diushouji", "sessions_ended": 1}
    assert signed_in.get("/")["Location"].startswith("/login/"), "the reset ends the account's sessions"
    assert event.action_display == "重置工作人员的两步验证"
    assert password_login("diushouji").get("/").status_code == 200  # the password alone again

    # Nothing left to reset; and one's own device is turned off with a code, not reset.
    again = console_client.post("/two-factor/reset/", {"username": "diushouji"}, follow=True)
    assert "diushouji 没有开启两步验证" in again.content.decode()
    device_for(platform_admin)
    with pytest.raises(actions.SiteActionError, match="不能重置自己的两步验证"):
        actions.reset_staff_two_factor(platform_admin, acting_user=platform_admin, source="test")
    assert AuditEvent.objects.filter(action="reset_staff_two_factor").count() == 1


def test_a_supervisor_sets_up_their_own_but_cannot_reset_anyone(db):
    target = StaffFactory(username="mubiao", role=staff_roles.OPERATOR)
    device_for(target)
    supervisor = StaffFactory(username="jiandu-2fa", role=staff_roles.SUPERVISOR)
    client = password_login("jiandu-2fa")
    page = client.get("/two-factor/").content.decode()
    assert "开始设置" in page and "mubiao" not in page  # only administrators see everyone's
    assert client.post("/two-factor/", {"op": "start"}).status_code == 302
    mine = TOTPDevice.objects.get(user=supervisor)
    assert client.post("/two-factor/", {"op": "confirm", "code": code(mine)}).status_code == 302
    assert TOTPDevice.objects.get(user=supervisor).confirmed

    StaffFactory(username="yunwei-2fa", role=staff_roles.OPERATOR)
    for who, who_client in (("jiandu-2fa", client), ("yunwei-2fa", password_login("yunwei-2fa"))):
        response = who_client.post("/two-factor/reset/", {"username": "mubiao"})
        assert response.status_code == 403 and "只读" in response.content.decode(), who
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


def test_devices_live_in_the_public_schema_only(county):
    def tables(schema):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_name LIKE 'otp%%'",
                [schema],
            )
            return {row[0] for row in cursor.fetchall()}

    assert "otp_totp_totpdevice" in tables("public")
    assert tables(county.schema) == set()


def test_site_admin_login_never_touches_the_device_table(county):
    client = county.client()
    with CaptureQueriesContext(connection) as login:
        assert client.post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 302
        assert client.get("/admin/").status_code == 200
    # Even a site session that names a device (none ever should) reads nothing of it: the console's
    # middleware does not run on a site's host, where the search path would reach public's devices.
    staffer = StaffFactory(username="tongming")
    device = device_for(staffer)
    with schema_context(county.schema):
        session = SessionStore(session_key=client.cookies["sessionid"].value)
        session["otp_device_id"] = device.persistent_id
        session.save()
    with CaptureQueriesContext(connection) as admin:
        assert client.get("/admin/").status_code == 200
    assert not [q["sql"] for q in [*login.captured_queries, *admin.captured_queries] if "otp_" in q["sql"]]


def test_deleting_a_site_account_keeps_the_staff_device_with_the_same_id(county):
    staffer = StaffFactory(username="tongyige-id")
    device_for(staffer)
    job = jobs.start(JobKind.BACKUP, site=county.site, acting_user=staffer)
    User = get_user_model()
    with schema_context(county.schema):
        User.objects.filter(pk=staffer.pk).delete()  # make room: ids depend on what ran before
        site_account = User.objects.create_user("bianji-tong-id", password=PASSWORD)
        User.objects.filter(pk=site_account.pk).update(id=staffer.pk)  # the same id in the site's own table
        User.objects.get(pk=staffer.pk).delete()
    assert TOTPDevice.objects.filter(user=staffer).exists()
    assert SiteJob.objects.get(pk=job.pk).requested_by == staffer, "the staff member's job still names them"
    # In public the device still goes with its account (CASCADE), and the migrations see django-otp's field unchanged.
    on_delete = TOTPDevice._meta.get_field("user").remote_field.on_delete
    collector = Collector(using="default")
    on_delete(collector, TOTPDevice._meta.get_field("user"), TOTPDevice.objects.filter(user=staffer), "default")
    assert [d.user_id for d in collector.data[TOTPDevice]] == [staffer.pk]
    assert on_delete == CASCADE
