"""Platform staff accounts (public schema): their first administrator, their roles, their second factor."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name

from .. import audit, passwords, staff_roles, two_factor
from ..models import AuditAction, PasswordChangeRequired
from ..sessions import end_sessions
from .base import SiteActionError, require_public_schema


def create_platform_admin(username, *, first_name="", acting_user, source=""):
    """The platform's first administrator (a superuser); returns its generated password, shown once."""
    require_public_schema()
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise SiteActionError({"username": [f"平台中已有账号 {username}"]})
        User.objects.create_superuser(username, "", password, first_name=first_name)
        passwords.require_change(get_public_schema_name(), username, PasswordChangeRequired.Reason.ISSUED)
        audit.record(AuditAction.CREATE_PLATFORM_ADMIN, acting_user=acting_user, source=source, username=username)
    return password


def set_staff_role(user, role, *, acting_user, source=""):
    """Give a platform staff account one role (tenants.staff_roles), replacing any other; None takes it away."""
    require_public_schema()
    if role is not None and role not in staff_roles.ROLES:
        raise SiteActionError({"role": [f"没有“{role}”这个角色；可选：{'、'.join(staff_roles.ROLES)}"]})
    with transaction.atomic():
        previous = staff_roles.role_of(user)
        user.groups.remove(*Group.objects.filter(name__in=staff_roles.ROLES))
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        audit.record(
            AuditAction.SET_STAFF_ROLE, acting_user=acting_user, source=source, username=user.get_username(),
            role=role or "", previous=previous or "",
        )
    return user


def reset_staff_two_factor(user, *, acting_user, source=""):
    """Remove a staff account's two-factor devices (a lost phone): it signs in with its password alone again.

    Not for one's own account: that is turned off with a current code (`disable_two_factor`).
    """
    require_public_schema()
    if acting_user is not None and acting_user.pk == user.pk:
        raise SiteActionError(["不能重置自己的两步验证：请在“两步验证”页输入当前验证码关闭"])
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        if not removed:
            raise SiteActionError([f"{user.get_username()} 没有开启两步验证"])
        TOTPDevice.objects.filter(user=user).delete()  # and a setup it had left unfinished
        # Whoever has the lost phone may have the signed-in laptop too: every session ends.
        ended = end_sessions(user)
        audit.record(AuditAction.RESET_STAFF_TWO_FACTOR, acting_user=acting_user, source=source,
                     username=user.get_username(), sessions_ended=ended)


def start_two_factor_setup(*, acting_user, source=""):
    """A new unconfirmed device with a fresh key for the acting account (an unfinished earlier one is dropped)."""
    require_public_schema()
    if two_factor.confirmed_device(acting_user) is not None:
        raise SiteActionError(["两步验证已经开启。"])
    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=acting_user, name="验证器应用", confirmed=False)
        audit.record(AuditAction.START_TWO_FACTOR_SETUP, acting_user=acting_user, source=source,
                     username=acting_user.get_username())
    return device


def confirm_two_factor(code, *, acting_user, source=""):
    """The code from the app confirms the acting account's pending device: from now on each login asks for one.

    Returns the device (the caller marks its session verified with it); raises CodeRefused or
    SiteActionError. A wrong code is counted against the device whatever is raised.
    """
    require_public_schema()
    with transaction.atomic():
        device = two_factor.pending_device(acting_user)
        device = device and two_factor.locked(device)
        if device is None:
            raise SiteActionError(["没有正在设置的验证器，请重新开始设置。"])
        refused = two_factor.refusal(device, code)
        if refused is None:
            TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.record(AuditAction.ENABLE_TWO_FACTOR, acting_user=acting_user, source=source,
                         username=acting_user.get_username())
    if refused is not None:
        raise refused
    return device


def disable_two_factor(code, *, acting_user, source=""):
    """Turn the acting account's own second factor off; a current code proves the phone is at hand."""
    require_public_schema()
    with transaction.atomic():
        device = two_factor.confirmed_device(acting_user)
        device = device and two_factor.locked(device)
        if device is None:
            raise SiteActionError(["两步验证没有开启。"])
        refused = two_factor.refusal(device, code)
        if refused is None:
            TOTPDevice.objects.filter(user=acting_user).delete()
            audit.record(AuditAction.DISABLE_TWO_FACTOR, acting_user=acting_user, source=source,
                         username=acting_user.get_username())
    if refused is not None:
        raise refused
