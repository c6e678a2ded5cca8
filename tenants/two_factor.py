"""Optional two-factor login (TOTP, django-otp) for platform staff on the console.

A staff account that has confirmed a device (an authenticator app on a phone: FreeOTP,
Google or Microsoft Authenticator...) enters the app's 6-digit code after its password,
once per session, before any console page (`staff_required` in tenants/console/views.py
sends it to the verify page). An account without one logs in with its password alone.
Every account may set up and turn off its own second factor, a supervisor's too: that
changes no site, only how its own holder signs in. Turning it off takes a current code;
when someone has lost the phone, an administrator removes the device
(`actions.reset_staff_two_factor`, or `manage.py reset_two_factor`). Each is audited.

A wrong code counts against the device: django-otp's throttle then refuses every code
for 1, 2, 4, 8... seconds (`OTP_TOTP_THROTTLE_FACTOR`), reset by the next right one.

Devices are rows of the public schema (django-otp is in SHARED_APPS only). A site's
search path also reaches public, and its users' ids mean other people there, so
tenants/db/public_rules.py keeps a site account's deletion from deleting a staff device.
"""

import math
from base64 import b32encode
from urllib.parse import urlencode

from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit

WRONG_CODE = "验证码不正确。请输入验证器应用中当前显示的 6 位数字（每 30 秒更新一次）。"


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


def redirect_to_verify(request):
    """To the code page; back to this page afterwards if it was one to look at (GET)."""
    url = reverse("console:two_factor_verify")
    if request.method in ("GET", "HEAD"):
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


def secret_of(device):
    """The key as an authenticator app takes it by hand: base32, in groups of four."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device):
    """The device's otpauth:// address as an inline SVG QR code (made here: nothing is fetched)."""
    import qrcode
    from qrcode.image.svg import SvgPathFillImage  # paths on a white background: scannable on any page

    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, border=2)
    svg = image.get_image()
    svg.attrib.update({"width": "240", "height": "240", "role": "img", "aria-label": "两步验证设置二维码"})
    return image.to_string(encoding="unicode")


def _check(device, code):
    """None when `code` is right for `device` (locked for update); else why not, in Chinese.

    django-otp counts the failure and throttles the device; a right code resets it.
    """
    allowed, extra = device.verify_is_allowed()
    if not allowed:
        if extra and extra.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            wait = math.ceil((extra["locked_until"] - timezone.now()).total_seconds())
            return (f"验证码已连续错误 {extra['failure_count']} 次，验证暂时停用，"
                    f"请 {max(wait, 1)} 秒后再试。")
        return "验证暂时停用，请稍后再试。"
    if not device.verify_token(code):
        return WRONG_CODE
    return None


def _locked(device):
    return TOTPDevice.objects.select_for_update().filter(pk=device.pk).first()


def verify(request, code):
    """The login's second step: a right code marks this session verified. Returns an error or None."""
    with transaction.atomic():
        device = confirmed_device(request.user)
        device = device and _locked(device)
        if device is None:
            return None  # nothing to verify against (removed meanwhile): the password is enough
        error = _check(device, code)
    if error is None:
        request.session.cycle_key()  # a new session key for the now fully signed-in session
        otp_login(request, device)
    return error


def start_setup(user):
    """A new unconfirmed device with a fresh key (any earlier unfinished one is dropped)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="验证器应用", confirmed=False)


def confirm_setup(request, code, *, source=""):
    """The code from the app confirms the pending device: from now on each login asks for one."""
    user = request.user
    with transaction.atomic():
        device = pending_device(user)
        device = device and _locked(device)
        if device is None:
            return "没有正在设置的验证器，请重新开始设置。"
        error = _check(device, code)
        if error is None:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.record("enable_two_factor", acting_user=user, source=source, username=user.get_username())
    if error is None:
        otp_login(request, device)  # this session has just shown a code: no second prompt
    return error


def disable(user, code, *, source=""):
    """Turn the account's own second factor off; a current code proves the phone is at hand."""
    with transaction.atomic():
        device = confirmed_device(user)
        device = device and _locked(device)
        if device is None:
            return "两步验证没有开启。"
        error = _check(device, code)
        if error is None:
            TOTPDevice.objects.filter(user=user).delete()
            audit.record("disable_two_factor", acting_user=user, source=source, username=user.get_username())
    return error
