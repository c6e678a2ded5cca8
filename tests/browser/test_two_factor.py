"""Two-factor login in a browser, through gunicorn with the production settings: set up, then log in with a code."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.helpers import raw_connection

pytestmark = pytest.mark.browser


@pytest.fixture
def no_device_left(console_staff):
    """The server commits the device; remove it afterwards so the other browser tests log in with a password."""
    yield
    with raw_connection() as conn:
        conn.execute(
            "DELETE FROM otp_totp_totpdevice WHERE user_id = (SELECT id FROM auth_user WHERE username = %s)",
            [console_staff.username],
        )


def log_in(page, live_server_url, staff):
    page.goto(f"{live_server_url}/login/")
    page.get_by_label("用户名").fill(staff.username)
    page.get_by_label("密码").fill(staff.password)
    page.get_by_role("button", name="登录").click()


def test_set_up_two_factor_and_log_in_with_a_code(
    live_server_url, console_staff, no_device_left, page, axe, screenshot
):
    log_in(page, live_server_url, console_staff)
    expect(page.get_by_role("heading", level=1)).to_contain_text("站点（共")

    page.get_by_role("navigation", name="控制台导航").get_by_role("link", name="两步验证").click()
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
    expect(page.get_by_role("status")).to_contain_text("两步验证已开启")
    axe(page)

    page.get_by_role("button", name="退出").click()
    log_in(page, live_server_url, console_staff)
    expect(page.get_by_role("heading", level=1)).to_have_text("输入验证码")
    axe(page)
    screenshot(page, "console-two-factor-verify")
    page.get_by_label("验证码").fill(f"{totp(key, drift=1):06d}")  # the code was used: the app's next one
    page.get_by_role("button", name="验证并进入控制台").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("站点（共")
