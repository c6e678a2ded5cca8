"""Platform staff accounts (public schema): their first administrator, their roles, their second factor."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
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
    """Remove a staff account's two-factor devices and recovery codes (a lost phone): at its next login
    it sets up a new one (tenants.two_factor's grace login). Not for one's own account.
    """
    require_public_schema()
    if acting_user is not None and acting_user.pk == user.pk:
        raise SiteActionError(["不能重置自己的两步验证：更换手机请在“两步验证”页选择“更换验证器”"])
    with transaction.atomic():
        if not two_factor.remove_devices(user):
            raise SiteActionError([f"{user.get_username()} 没有开启两步验证"])
        # Whoever has the lost phone may have the signed-in laptop too: every session ends.
        ended = end_sessions(user)
        audit.record(AuditAction.RESET_STAFF_TWO_FACTOR, acting_user=acting_user, source=source,
                     username=user.get_username(), sessions_ended=ended)

