"""Logins to the console and to every site's admin: recorded, locked out, throttled per address.

- **Recorded**: every login, failed login, lockout and logout is a row of the platform's audit
  trail (public schema), with the site (none for the console), the user name and the address,
  so a site's deletion or restore never erases who came in and who tried. django-axes' own
  rows live in the schema logged in to and are only its counters.
- **Locked per account** (django-axes, AXES_LOCKOUT_PARAMETERS = ["username"]): after
  AXES_FAILURE_LIMIT failures for one account from any addresses, for AXES_COOLOFF_TIME. A
  spray from many addresses at one account stops there; the account's owner and its site's
  administrators are told by e-mail, and an administrator can lift it early (an audited action).
- **Throttled per address**: an address with LOGIN_FAILURES_PER_ADDRESS failed logins in the
  last LOGIN_FAILURE_WINDOW, at any accounts of any sites, gets the lockout page for every login
  until the window has moved on. Counted from the audit trail's own rows (one platform-wide
  count, in the database: the cache is keyed per site, and may be down), and apart from the
  per-account lock, so that a county's whole network behind one NAT address is not locked by a
  few colleagues' typos.

Both answer through `LoginGuardBackend`, django-axes' backend with the address check in front.
"""

import logging

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import connection
from django.utils import timezone

from . import audit, passwords, sessions
from .models import AuditAction, AuditEvent, current_site
from .provisioning.site_groups import SITE_ADMIN

logger = logging.getLogger(__name__)


def _username(credentials_or_user):
    if hasattr(credentials_or_user, "get_username"):
        return credentials_or_user.get_username()
    return str((credentials_or_user or {}).get("username") or "")[:150]


def _where():
    """"控制台" or "站点后台": where the login event happened."""
    return "控制台" if sessions.in_console() else "站点后台"


def _record(action, request, username, user=None, **detail):
    """One audit row for a login event, in the trail of wherever the connection is."""
    audit.record_here(
        action, user=user if user is not None else username, username=username,
        where=_where(), **detail,
        source=audit.client_address(request) if request is not None else "",
    )


def logged_in(sender, request, user, **kwargs):
    _record(AuditAction.LOGIN, request, _username(user), user)
    if request is not None and passwords.change_required(connection.schema_name, _username(user)):
        request.session[sessions.MUST_CHANGE_PASSWORD] = True  # tenants.sessions.PasswordChangeMiddleware
    elif request is not None and passwords.expired(user):
        request.session[sessions.MUST_CHANGE_PASSWORD] = "expired"


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "logout_reason", "user")  # tenants.sessions: "idle", "absolute"
        _record(AuditAction.LOGOUT, request, _username(user), user, reason=reason)


def login_failed(sender, credentials, request=None, **kwargs):
    # Refused before any password was checked (the account or the address is locked): axes then
    # sends user_locked_out, recorded by `locked_out`, not as one more failure.
    if getattr(request, "login_refused_unchecked", False):
        return
    _record(AuditAction.LOGIN_FAILED, request, _username(credentials))


def locked_out(sender, request, username=None, ip_address=None, **kwargs):
    username = str(username or "")[:150]
    throttled = getattr(request, "login_address_throttled", False)
    _record(AuditAction.LOCKED_OUT, request, username,
            locked="address" if throttled else "account", failure_limit=settings.AXES_FAILURE_LIMIT)
    if not throttled and username:
        _tell_about_lockout(username)


def password_changed(user):
    """A password was set (its owner, or a site administrator in Wagtail's user editor): one audit row.

    Called by tenants.passwords.PasswordHistoryValidator, which Django calls after every password
    change that went through set_password; passwords the console issues are audited by their action.
    """
    audit.record_here(AuditAction.CHANGE_PASSWORD, user=user, username=_username(user),
                      where=_where())


def _tell_about_lockout(username):
    """E-mail the locked account's owner and, in a site, the site's administrators, once per lockout.

    Never fails the login: a mail server that is down is logged, and the lockout page still shows.
    """
    site = None if sessions.in_console() else current_site()
    if not cache.add(f"lockout-notice:{connection.schema_name}:{username}", 1,
                     settings.AXES_COOLOFF_TIME.total_seconds()):
        return  # told already (every further attempt during the lockout is locked out again)
    User = get_user_model()
    owner = User.objects.filter(username=username).first()
    if owner is None:
        return  # no such account: nobody to tell (the attempt is in the audit trail)
    to = {owner.email} if owner.email else set()
    if site is not None:
        to |= set(User.objects.filter(groups__name=SITE_ADMIN, is_active=True).exclude(email="")
                  .values_list("email", flat=True))
    if not to:
        return
    where = f"{site.display_name}网站后台" if site else "政府网站集约化平台控制台"
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    try:
        send_mail(
            f"【安全提醒】账号 {username} 已被锁定",
            f"{where}的账号 {username} 连续 {settings.AXES_FAILURE_LIMIT} 次密码错误，已被锁定 {minutes} 分钟。\n"
            "如果不是本人操作，可能有人在尝试猜测密码：请尽快修改密码，并告知平台的安全管理员。\n"
            "管理员可以在控制台提前解除锁定；每次登录、失败和锁定都记录在审计记录中。",
            None, sorted(to), fail_silently=False,
        )
    except Exception:  # the mail server down must not turn a lockout page into a 500
        logger.exception("could not send the lockout notice for %s", username)


def address_over_budget(request):
    """Whether the request's address failed LOGIN_FAILURES_PER_ADDRESS logins within LOGIN_FAILURE_WINDOW."""
    since = timezone.now() - settings.LOGIN_FAILURE_WINDOW
    failures = AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, source=audit.client_address(request)[:100], created_at__gte=since
    )
    return failures.count() >= settings.LOGIN_FAILURES_PER_ADDRESS


class LoginGuardBackend(AxesStandaloneBackend):
    """django-axes' backend (refuses a locked account), with the address budget checked first.

    Either refusal answers as axes does (request.axes_locked_out, then AxesMiddleware shows the
    lockout page) and marks the request `login_refused_unchecked`: no password was looked at.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and address_over_budget(request):
            request.axes_locked_out = True
            request.login_address_throttled = request.login_refused_unchecked = True
            raise AxesBackendPermissionDenied("address over its login failure budget")
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            request.login_refused_unchecked = True
            raise


def connect():
    user_logged_in.connect(logged_in, dispatch_uid="tenants.logins.logged_in")
    user_logged_out.connect(logged_out, dispatch_uid="tenants.logins.logged_out")
    user_login_failed.connect(login_failed, dispatch_uid="tenants.logins.login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="tenants.logins.locked_out")
