"""Optional two-factor login (TOTP, django-otp) for platform staff on the console: the rules and the reads.

A staff account that has confirmed a device (an authenticator app on a phone: FreeOTP,
Google or Microsoft Authenticator...) enters the app's 6-digit code after its password,
once per session, before any console page (`console.access.staff_required` sends it to the
verify page). An account without one logs in with its password alone. Every account may set
up and turn off its own second factor, a supervisor's too: that changes no site, only how its
own holder signs in. Turning it off takes a current code; when someone has lost the phone, an
administrator removes the device. The changes are actions (tenants.actions.staff), each audited.

A wrong code counts against the device: django-otp's throttle then refuses every code
for 1, 2, 4, 8... seconds (`OTP_TOTP_THROTTLE_FACTOR`), reset by the next right one.

Devices are rows of the public schema (django-otp is in SHARED_APPS only). A site's
search path also reaches public, and its users' ids mean other people there, so
tenants/db/public_rules.py keeps a site account's deletion from deleting a staff device.
"""

import math
from base64 import b32encode

import qrcode
from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage  # paths on a white background: scannable on any page

from .actions.base import SiteActionError

WRONG_CODE = "验证码不正确。请输入验证器应用中当前显示的 6 位数字（每 30 秒更新一次）。"


class CodeRefused(SiteActionError):
    """The code was wrong, or the device is throttled after wrong codes; the message says which."""


def confirmed_device(user):
    """The account's device in use, or None: it logs in with its password alone."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user):
    """A device being set up: shown (secret and QR code) until a code confirms it."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def needs_code(request):
    """True while a signed-in account with a confirmed device has not entered a code in this session."""
    user = request.user
    if not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)  # set by ConsoleOTPMiddleware; missing: not verified
    if verified is not None and verified():
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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
    return TOTPDevice.objects.select_for_update().filter(pk=device.pk).first()


def check_code(device, code):
    """Raise CodeRefused unless `code` is right for `device` (locked for update).

    django-otp counts a failure and throttles the device; a right code resets it.
    """
    allowed, extra = device.verify_is_allowed()
    if not allowed:
        if extra and extra.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            wait = math.ceil((extra["locked_until"] - timezone.now()).total_seconds())
            raise CodeRefused(f"验证码已连续错误 {extra['failure_count']} 次，验证暂时停用，"
                              f"请 {max(wait, 1)} 秒后再试。")
        raise CodeRefused("验证暂时停用，请稍后再试。")
    if not device.verify_token(code):
        raise CodeRefused(WRONG_CODE)


def login_device(user, code):
    """The login's second step: the confirmed device `code` is right for, or None when there is none any more.

    Not an action: it changes nothing of the platform but the device's throttle counter.
    """
    with transaction.atomic():
        device = confirmed_device(user)
        device = device and locked(device)
        if device is None:
            return None  # removed meanwhile: the password is enough
        refused = refusal(device, code)
    if refused is not None:
        raise refused  # after the commit: the failure stays counted
    return device


def refusal(device, code):
    """check_code's CodeRefused, returned rather than raised: the caller's transaction must commit
    (the failure is counted in it) before the refusal is raised."""
    try:
        check_code(device, code)
    except CodeRefused as exc:
        return exc
    return None
