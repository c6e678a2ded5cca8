"""One's own second factor: set up (or move to a new phone), confirm, new recovery codes, turn off.

These work in the schema the request is served in (the edge chose it): a staff account's own
device on the console, a site account's in its site's admin. Each writes its audit row with
`audit.record_here`, which names the site. Resets of someone else's device are the console's
(`reset_staff_two_factor`, `reset_site_two_factor`).
"""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit, two_factor
from ..models import AuditAction
from .base import SiteActionError


def start_two_factor_setup(*, acting_user, source=None):
    """A new unconfirmed device with a fresh key for the acting account (an unfinished earlier one is dropped).

    With a device already in use this is a move to a new phone: the old one works until the new
    one is confirmed.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=acting_user, name="验证器应用", confirmed=False)
        audit.record_here(AuditAction.START_TWO_FACTOR_SETUP, user=acting_user, source=source,
                          username=acting_user.get_username())
    return device


def confirm_two_factor(code, *, acting_user, source=None):
    """The code from the app confirms the acting account's pending device: from now on each login asks for one.

    Returns (device, recovery codes): the caller marks its session verified with the device and
    shows the codes once. Raises CodeRefused or SiteActionError; a wrong code is counted against
    the device whatever is raised.
    """
    with transaction.atomic():
        device = two_factor.pending_device(acting_user)
        device = device and two_factor.locked(device)
        if device is None:
            raise SiteActionError(["没有正在设置的验证器，请重新开始设置。"])
        refused = two_factor.refusal(device, two_factor.normalized(code))
        if refused is None:
            replaced = TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()[0]
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = two_factor.make_recovery_codes(acting_user)
            audit.record_here(AuditAction.ENABLE_TWO_FACTOR, user=acting_user, source=source,
                              username=acting_user.get_username(), replaced_device=bool(replaced))
    if refused is not None:
        raise refused
    return device, codes


def new_recovery_codes(*, acting_user, source=None):
    """Ten new recovery codes for the acting account (the old ones stop working); returned to be shown once."""
    with transaction.atomic():
        if two_factor.confirmed_device(acting_user) is None:
            raise SiteActionError(["请先开启两步验证。"])
        codes = two_factor.make_recovery_codes(acting_user)
        audit.record_here(AuditAction.NEW_RECOVERY_CODES, user=acting_user, source=source,
                          username=acting_user.get_username())
    return codes


def disable_two_factor(code, *, acting_user, source=None):
    """Turn the acting account's own second factor off; a current code proves the phone is at hand.

    Refused for an account that must have one (tenants.two_factor.required).
    """
    if two_factor.required(acting_user):
        raise SiteActionError(["管理员账号必须使用两步验证，不能关闭。更换手机时请选择“更换验证器”。"])
    with transaction.atomic():
        device = two_factor.confirmed_device(acting_user)
        device = device and two_factor.locked(device)
        if device is None:
            raise SiteActionError(["两步验证没有开启。"])
        refused = two_factor.refusal(device, two_factor.normalized(code))
        if refused is None:
            TOTPDevice.objects.filter(user=acting_user).delete()
            StaticDevice.objects.filter(user=acting_user).delete()
            audit.record_here(AuditAction.DISABLE_TWO_FACTOR, user=acting_user, source=source,
                              username=acting_user.get_username())
    if refused is not None:
        raise refused
