"""Site editors' accounts, changed from the console: create, disable, enable, reset a password or a
second factor, unlock.

A site's accounts live in its own schema, so these actions are the console's door into a
site: each starts in the public schema, switches to the site's schema explicitly, and writes
its audit row in public, all in one transaction. A new or reset password is returned once, to
be handed over; only its hash is stored. Disabling an account also ends its sessions at once.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from .. import audit, passwords, two_factor
from ..models import AuditAction, PasswordChangeRequired
from ..provisioning.site_groups import EDITOR, SITE_GROUPS
from ..sessions import end_sessions
from .base import SiteActionError, account_field_errors, require_public_schema


def _new_password():
    return secrets.token_urlsafe(9)  # 12 characters, ~72 bits


def create_account(site, *, username, name="", email="", group=EDITOR, acting_user, source=""):
    """A new account in `site` with one of the site's groups; returns its initial password."""
    require_public_schema()
    username = (username or "").strip()
    errors = account_field_errors(username, email)
    if group not in SITE_GROUPS:
        errors["group"] = [f"角色应为：{'、'.join(SITE_GROUPS)}"]
    if errors:
        raise SiteActionError(errors)
    password = _new_password()
    with transaction.atomic(), schema_context(site.schema_name):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise SiteActionError({"username": [f"站点“{site.name}”已有账号 {username}"]})
        user = User.objects.create(username=username, first_name=name[:150], email=email,
                                   password=make_password(password))
        user.groups.add(Group.objects.get(name=group))
        passwords.require_change(site.schema_name, username, PasswordChangeRequired.Reason.ISSUED)
        audit.record(AuditAction.CREATE_SITE_ACCOUNT, acting_user=acting_user, site=site, source=source,
                     username=username, group=group)
    return password


def _account(site, username):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise SiteActionError(f"站点“{site.name}”没有账号 {username}")
    return user


def set_active(site, username, active, *, acting_user, source=""):
    """Disable (ending its sessions) or enable an account of `site`."""
    require_public_schema()
    with transaction.atomic(), schema_context(site.schema_name):
        user = _account(site, username)
        if user.is_active == active:
            raise SiteActionError(f"账号 {username} 已经是{'启用' if active else '停用'}状态")
        user.is_active = active
        user.save(update_fields=["is_active"])
        ended = 0 if active else end_sessions(user)
        audit.record(AuditAction.ENABLE_SITE_ACCOUNT if active else AuditAction.DISABLE_SITE_ACCOUNT,
                     acting_user=acting_user, site=site, source=source, username=username,
                     **({} if active else {"sessions_ended": ended}))


def unlock_login(site, username, *, acting_user, source=""):
    """Lift the login lockout of `username` in `site` (None: a console account) before it expires.

    The lock is django-axes' count of the account's failures in that schema; it is cleared, and
    the account's next wrong password starts a new count. Returns how many attempt records went.
    """
    from axes.utils import reset

    require_public_schema()
    schema = site.schema_name if site is not None else get_public_schema_name()
    with transaction.atomic(), schema_context(schema):
        if not get_user_model().objects.filter(username=username).exists():
            where = f"站点“{site.name}”" if site is not None else "控制台"
            raise SiteActionError(f"{where}没有账号 {username}")
        cleared = reset(username=username)
        if not cleared:
            raise SiteActionError(f"账号 {username} 没有被锁定")
        audit.record(AuditAction.UNLOCK_LOGIN, acting_user=acting_user, site=site, source=source,
                     username=username, attempts_cleared=cleared)
    return cleared


def reset_password(site, username, *, acting_user, source=""):
    """A new password for an account of `site` (its sessions end); returns the password."""
    require_public_schema()
    password = _new_password()
    with transaction.atomic(), schema_context(site.schema_name):
        user = _account(site, username)
        user.password = make_password(password)
        user.save(update_fields=["password"])
        passwords.require_change(site.schema_name, username, PasswordChangeRequired.Reason.RESET)
        ended = end_sessions(user)
        audit.record(AuditAction.RESET_SITE_ACCOUNT_PASSWORD, acting_user=acting_user, site=site, source=source,
                     username=username, sessions_ended=ended)
    return password


def reset_site_two_factor(site, username, *, acting_user, source=""):
    """Remove the second factor of an account of `site` (its phone is lost; its sessions end).

    An administrator of the site sets up a new one at the next login; an editor logs in with
    the password alone until turning it on again.
    """
    require_public_schema()
    with transaction.atomic(), schema_context(site.schema_name):
        user = _account(site, username)
        if not two_factor.remove_devices(user):
            raise SiteActionError(f"账号 {username} 没有开启两步验证")
        ended = end_sessions(user)
        audit.record(AuditAction.RESET_SITE_TWO_FACTOR, acting_user=acting_user, site=site, source=source,
                     username=username, sessions_ended=ended)
