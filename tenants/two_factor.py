"""Two-factor login (TOTP, django-otp) on the console and in every site's admin: who must, the reads, the gate.

Who must (等保: two factors for every administrator): every console account, since all platform
staff see every site, and each site's 站点管理员 (and any superuser of a site). A site's other
editors may turn it on for themselves. After the password:

- an account with a confirmed device (an authenticator app: FreeOTP, Google or Microsoft
  Authenticator...) enters the app's 6-digit code, once per session, before any other page;
- an account that must have one and has none yet reaches only the set-up page (and the
  password page, and logging out) until its device is confirmed: the grace login of a new
  administrator, who cannot act before the second factor is in place.

Confirming a device also makes ten recovery codes (django-otp's static device), shown once: each
stands in for the phone once at the code step, and is audited when used. A wrong code counts
against the device: django-otp's throttle then refuses every code for 1, 2, 4, 8... seconds
(`OTP_TOTP_THROTTLE_FACTOR`), reset by the next right one.

Devices are rows of the account's own schema (django-otp is in SHARED_APPS and TENANT_APPS, like
auth): public for staff, the site's schema for its accounts. The changes are the actions of
tenants.actions.two_factor, each audited.
"""

import math
import re
from base64 import b32encode

import qrcode
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage  # paths on a white background: scannable on any page

from .actions.base import SiteActionError
from .models import current_site
from .provisioning.site_groups import SITE_ADMIN
from .sessions import MUST_CHANGE_PASSWORD, in_console, signed_in_area

WRONG_CODE = "验证码不正确。请输入验证器应用中当前显示的 6 位数字（每 30 秒更新一次）。"
WRONG_RECOVERY_CODE = "恢复码不正确或已经用过。每个恢复码只能使用一次。"
RECOVERY_CODES = 10
RECOVERY_DEVICE = "恢复码"
# A code of the app, or a recovery code (8 letters and digits of base32, as StaticToken.random_token makes).
APP_CODE, RECOVERY_CODE = re.compile(r"\d{6}"), re.compile(r"[a-z2-7]{8}")

VERIFY, SET_UP = "verify", "set_up"


class CodeRefused(SiteActionError):
    """The code was wrong, or the device is throttled after wrong codes; the message says which."""


def required(user):
    """Whether the account may not work without a second factor (see the module's docstring)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if in_console():
        return user.is_staff
    return user.is_superuser or user.groups.filter(name=SITE_ADMIN).exists()


def confirmed_device(user):
    """The account's authenticator app in use, or None."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user):
    """A device being set up: shown (secret and QR code) until a code confirms it."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def gate(request):
    """What stands between a signed-in request and the page it asked for: VERIFY, SET_UP or None."""
    user = request.user
    if not user.is_authenticated:
        return None
    verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    if verified is not None and verified():
        return None
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    return SET_UP if required(user) else None


def url_names():
    """(verify, set-up, password, logout) URL names of the host being served."""
    if in_console():
        return "console:two_factor_verify", "console:two_factor", "console:password_change", "console:logout"
    return "govsites_two_factor_verify", "govsites_two_factor", "govsites_password_change", "wagtailadmin_logout"


def home_url_name():
    return "console:sites" if in_console() else "wagtailadmin_home"


class TwoFactorMiddleware:
    """Holds a signed-in session at the code page (VERIFY) or the set-up page (SET_UP) until it passes.

    Before tenants.sessions.PasswordChangeMiddleware: the code comes before an issued password's
    change; an account still to set up its device changes its issued password first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signed_in_area(request):
            held = gate(request)
            if held == SET_UP and request.session.get(MUST_CHANGE_PASSWORD):
                held = None  # its issued password is changed first (the next middleware), then this
            if held is not None:
                urlconf = getattr(request, "urlconf", None)
                verify, set_up, password, logout = (reverse(name, urlconf=urlconf) for name in url_names())
                allowed = {verify, logout} if held == VERIFY else {set_up, password, logout}
                if request.path not in allowed:
                    target = verify if held == VERIFY else set_up
                    if request.method in ("GET", "HEAD"):
                        target += "?" + urlencode({"next": request.get_full_path()})
                    return redirect(target)
        return self.get_response(request)


def issuer(device):
    """OTP_TOTP_ISSUER: the console's name, or the name of the site being served."""
    site = None if in_console() else current_site()
    return f"{site.name}网站后台" if site is not None else "政府网站集约化平台"


def secret_of(device):
    """The key as an authenticator app takes it by hand: base32, in groups of four."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device):
    """The device's otpauth:// address as an inline SVG QR code (made here: nothing is fetched)."""
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, border=2)
    svg = image.get_image()
    svg.attrib.update({"width": "240", "height": "240", "role": "img", "aria-label": "两步验证设置二维码"})
    return image.to_string(encoding="unicode")


def locked(device):
    """`device` again, locked for this transaction (a code is checked and counted once)."""
    return type(device).objects.select_for_update().filter(pk=device.pk).first()


def normalized(code):
    """'123 456' as some apps show it, 'ABCD-EFGH' as a printed recovery code: spaces and dashes dropped."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def check_code(device, code, wrong=WRONG_CODE):
    """Raise CodeRefused unless `code` is right for `device` (locked for update).

    django-otp counts a failure and throttles the device; a right code resets it (and a
    recovery code is used up).
    """
    allowed, extra = device.verify_is_allowed()
    if not allowed:
        if extra and extra.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            wait = math.ceil((extra["locked_until"] - timezone.now()).total_seconds())
            raise CodeRefused(f"验证码已连续错误 {extra['failure_count']} 次，验证暂时停用，"
                              f"请 {max(wait, 1)} 秒后再试。")
        raise CodeRefused("验证暂时停用，请稍后再试。")
    if not device.verify_token(code):
        raise CodeRefused(wrong)


def refusal(device, code, wrong=WRONG_CODE):
    """check_code's CodeRefused, returned rather than raised: the caller's transaction must commit
    (the failure is counted in it) before the refusal is raised."""
    try:
        check_code(device, code, wrong)
    except CodeRefused as exc:
        return exc
    return None


def login_device(user, code):
    """The login's second step: the device `code` is right for (the app's, or the recovery codes'),
    or None when the account has no app any more. Raises CodeRefused.

    Not an action: it changes nothing but the device's counters (and uses up a recovery code).
    """
    code = normalized(code)
    recovery = RECOVERY_CODE.fullmatch(code) is not None
    with transaction.atomic():
        if confirmed_device(user) is None:
            return None  # removed meanwhile: the gate decides what comes next
        if recovery:
            device = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                raise CodeRefused("没有可用的恢复码。请输入验证器应用中的 6 位验证码。")
            device = locked(device)
            refused = refusal(device, code, WRONG_RECOVERY_CODE)
        else:
            device = locked(confirmed_device(user))
            refused = refusal(device, code)
    if refused is not None:
        raise refused  # after the commit: the failure stays counted
    return device


def remove_devices(user):
    """Delete the account's app (set up or not) and recovery codes, in the connection's schema;
    returns whether it had a confirmed app."""
    had = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had


def make_recovery_codes(user):
    """Replace the account's recovery codes with RECOVERY_CODES new ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]

