"""Two-factor login in a browser, through gunicorn with the production settings: a console account without
an app is held at the set-up page, sets one up, keeps its recovery codes, and logs in again with one."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.helpers import raw_connection

pytestmark = pytest.mark.browser


def remove_devices(username):
    with raw_connection() as conn:
        for table in ("otp_totp_totpdevice", "otp_static_statictoken", "otp_static_staticdevice"):
            user_column = "device_id IN (SELECT id FROM otp_static_staticdevice WHERE user_id = u.id)" \
                if table == "otp_static_statictoken" else "user_id = u.id"
            conn.execute(f"DELETE FROM {table} t USING auth_user u WHERE u.username = %s AND t.{user_column}",  # noqa: S608
                         [username])


@pytest.fixture
def without_an_app(console_staff):
    """The staff account starts without an app (other tests give it one each login) and ends so."""
    remove_devices(console_staff.username)
    yield
    remove_devices(console_staff.username)


def log_in(page, live_server_url, staff):
    page.goto(f"{live_server_url}/login/")
    page.get_by_label("用户名").fill(staff.username)
    page.get_by_label("密码").fill(staff.password)
    page.get_by_role("button", name="登录").click()


def test_set_up_two_factor_at_the_first_login_and_log_in_with_a_recovery_code(
    live_server_url, console_staff, without_an_app, page, axe, screenshot
):
    log_in(page, live_server_url, console_staff)
    expect(page.get_by_role("heading", level=1)).to_have_text("两步验证")
    expect(page.get_by_role("alert")).to_contain_text("请先设置两步验证")
    page.goto(f"{live_server_url}/sites/new/")  # nothing else until it is set up
    expect(page.get_by_role("heading", level=1)).to_have_text("两步验证")
    axe(page)
    page.get_by_role("button", name="开始设置").click()
    expect(page.get_by_role("img", name="两步验证设置二维码")).to_be_visible()
    axe(page)
    screenshot(page, "console-two-factor-setup")

    # What an authenticator app does with the key typed in by hand.
    key = b32decode(page.locator("li", has_text="密钥为").locator("code").inner_text().replace(" ", ""))
    wrong = next(c for c in (0, 111111, 222222) if c not in {totp(key, drift=d) for d in (-1, 0, 1)})
    page.get_by_label("验证码").fill(f"{wrong:06d}")
    page.get_by_role("button", name="确认开启").click()
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确")
    axe(page)
    page.wait_for_timeout(1100)  # django-otp's throttle: one second after a wrong code
    page.get_by_label("验证码").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="确认开启").click()
    codes = page.get_by_role("list", name="恢复码").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    axe(page)
    screenshot(page, "console-two-factor-recovery-codes")
    page.get_by_role("link", name="我已保存恢复码，继续").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("开设站点")  # where the gate had stopped it

    page.get_by_role("button", name="退出").click()
    log_in(page, live_server_url, console_staff)
    expect(page.get_by_role("heading", level=1)).to_have_text("输入验证码")
    axe(page)
    screenshot(page, "console-two-factor-verify")
    page.get_by_label("验证码").fill(recovery)  # the phone is not at hand
    page.get_by_role("button", name="验证并进入控制台").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("站点（共")
    expect(page.get_by_role("status")).to_contain_text("还剩 9 个")

    page.get_by_role("button", name="退出").click()
    log_in(page, live_server_url, console_staff)
    page.get_by_label("验证码").fill(recovery)  # used once: refused
    page.get_by_role("button", name="验证并进入控制台").click()
    expect(page.get_by_role("alert")).to_contain_text("恢复码不正确或已经用过")
