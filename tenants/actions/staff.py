"""Platform staff accounts (public schema): opening them, their roles (三员分立, tenants.staff_roles),
disabling them, their second factor, and break-glass emergency roles."""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from .. import audit, passwords, staff_roles, two_factor
from ..models import AuditAction, EmergencyRole, PasswordChangeRequired
from ..sessions import end_sessions
from .base import SiteActionError, account_field_errors, require_public_schema


def create_staff_account(username, *, name="", email="", role=None, acting_user, source=""):
    """A new console account; returns its generated password, shown once and changed at the first login.

    From the console (a system administrator) it has no role: a security administrator gives it
    one. Only the command line (`acting_user=None`: the host's operator) opens it with a role, for
    the first administrators of a new platform.
    """
    require_public_schema()
    username = (username or "").strip()
    if errors := account_field_errors(username, email):
        raise SiteActionError(errors)
    if role is not None and acting_user is not None:
        raise SiteActionError({"role": ["角色由安全管理员在“工作人员”页设置"]})
    _known(role)
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise SiteActionError({"username": [f"平台中已有账号 {username}"]})
        user = User.objects.create_user(username, email, password, first_name=name[:150], is_staff=True)
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        passwords.require_change(get_public_schema_name(), username, PasswordChangeRequired.Reason.ISSUED)
        audit.record(AuditAction.CREATE_STAFF_ACCOUNT, acting_user=acting_user, source=source, username=username,
                     role=role or "")
    return password


def _known(role):
    if role is not None and role not in staff_roles.ROLES:
        raise SiteActionError({"role": [f"没有“{role}”这个角色；可选：{'、'.join(staff_roles.ROLES)}"]})


def _not_on_oneself(user, acting_user, what):
    """三员分立: no one changes their own role, account or second factor from the console."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise SiteActionError([f"不能{what}自己的账号：请另一位安全管理员操作"])


def set_staff_role(user, role, *, acting_user, source=""):
    """Give a staff account one role (tenants.staff_roles), replacing any other; None takes it away.

    A security administrator's work (or the command line's), never on their own account: no role
    can grant itself another.
    """
    require_public_schema()
    _known(role)
    _not_on_oneself(user, acting_user, "修改")
    if acting_user is not None and not staff_roles.can_manage_accounts(acting_user):
        raise SiteActionError(["只有安全管理员可以设置工作人员的角色"])
    with transaction.atomic():
        previous = staff_roles.role_of(user)
        user.groups.remove(*Group.objects.filter(name__in=staff_roles.ROLES))
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        staff_roles.forget(user)
        audit.record(
            AuditAction.SET_STAFF_ROLE, acting_user=acting_user, source=source, username=user.get_username(),
            role=role or "", previous=previous or "",
        )
    return user


def set_staff_active(user, active, *, acting_user, source=""):
    """Disable (ending its sessions) or enable a console account; a security administrator's work."""
    require_public_schema()
    _not_on_oneself(user, acting_user, "停用或启用")
    with transaction.atomic():
        if user.is_active == active:
            raise SiteActionError([f"账号 {user.get_username()} 已经是{'启用' if active else '停用'}状态"])
        user.is_active = active
        user.save(update_fields=["is_active"])
        ended = 0 if active else end_sessions(user)
        audit.record(AuditAction.ENABLE_STAFF_ACCOUNT if active else AuditAction.DISABLE_STAFF_ACCOUNT,
                     acting_user=acting_user, source=source, username=user.get_username(),
                     **({} if active else {"sessions_ended": ended}))


BREAK_GLASS_MAX_MINUTES = 240


def break_glass(user, role, *, reason, minutes=60, acting_user=None, source=""):
    """An emergency role for `minutes` (at most BREAK_GLASS_MAX_MINUTES), over the account's own.

    For when the one person who holds a role cannot act (the only security administrator is
    away, and an account must be unlocked now). From the command line only; the grant, its
    reason and everything done with it are in the audit trail.
    """
    require_public_schema()
    _known(role)
    if role is None:
        raise SiteActionError({"role": ["请指定紧急授权的角色"]})
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise SiteActionError({"reason": ["请写明紧急授权的原因（至少 4 个字）"]})
    if not 0 < minutes <= BREAK_GLASS_MAX_MINUTES:
        raise SiteActionError({"minutes": [f"紧急授权时长为 1–{BREAK_GLASS_MAX_MINUTES} 分钟"]})
    if not (user.is_active and user.is_staff):
        raise SiteActionError([f"{user.get_username()} 不是启用的工作人员账号"])
    with transaction.atomic():
        now = timezone.now()
        EmergencyRole.objects.filter(user=user, ended_at=None, ends_at__gt=now).update(ended_at=now)
        grant = EmergencyRole.objects.create(
            user=user, role=role, reason=reason[:500], ends_at=now + timedelta(minutes=minutes),
            granted_by=audit.actor_label(acting_user, source),
        )
        staff_roles.forget(user)
        audit.record(AuditAction.BREAK_GLASS, acting_user=acting_user, source=source, username=user.get_username(),
                     role=role, reason=grant.reason, minutes=minutes, ends_at=grant.ends_at.isoformat())
    return grant


def end_break_glass(user, *, acting_user=None, source=""):
    """End the account's emergency role now."""
    require_public_schema()
    with transaction.atomic():
        now = timezone.now()
        ended = EmergencyRole.objects.filter(user=user, ended_at=None, ends_at__gt=now).update(ended_at=now)
        if not ended:
            raise SiteActionError([f"{user.get_username()} 没有生效中的紧急授权"])
        staff_roles.forget(user)
        audit.record(AuditAction.END_BREAK_GLASS, acting_user=acting_user, source=source,
                     username=user.get_username())


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

