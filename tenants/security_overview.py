"""The console's 安全 page: what a security or audit administrator checks each day, across the console and
every site — locked accounts, administrators without a second factor, accounts unused for
STALE_ACCOUNT_DAYS, recent login failures by site, and the audit chain's last verification.

Lockouts and failures are read from the audit trail (one table, every site); accounts from each
site's auth tables by their schema-qualified names (tenants.accounts.across_sites), never
switching schema.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .accounts import across_sites
from .actions.base import require_public_schema
from .models import AuditAction, AuditEvent
from .provisioning.site_groups import SITE_ADMIN

LIMIT = 500


@dataclass
class Person:
    site: object  # None: a console account
    username: str
    last_login: object = None
    date_joined: object = None
    at: object = None  # when it was locked


def locked_accounts(now=None):
    """Accounts locked out now: a lockout in the trail within the cool-off, not lifted since."""
    now = now or timezone.now()
    since = now - settings.AXES_COOLOFF_TIME
    lockouts = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, created_at__gte=since,
                                         detail__locked="account").order_by("-created_at")
    unlocks = AuditEvent.objects.filter(action=AuditAction.UNLOCK_LOGIN, created_at__gte=since)
    lifted = {(e.site_id, e.detail.get("username"), e.created_at) for e in unlocks}
    seen, found = set(), []
    for event in lockouts.select_related("site"):
        key = (event.site_id, event.detail.get("username") or event.actor_label)
        if key in seen:
            continue
        seen.add(key)
        if any(site == key[0] and name == key[1] and at > event.created_at for site, name, at in lifted):
            continue
        found.append(Person(event.site, key[1], at=event.created_at))
    return found


def without_two_factor():
    """Console accounts and site administrators (who must have one) without a confirmed app; (people, capped)."""
    require_public_schema()
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))).order_by("username")
    people = [Person(None, u.username, u.last_login, u.date_joined) for u in staff]
    rows, capped = across_sites(
        "SELECT %s, u.username, u.last_login, u.date_joined FROM {s}.auth_user u WHERE u.is_active AND"
        " (u.is_superuser OR EXISTS (SELECT 1 FROM {s}.auth_user_groups ug JOIN {s}.auth_group g"
        " ON g.id = ug.group_id WHERE ug.user_id = u.id AND g.name = %s))"
        " AND NOT EXISTS (SELECT 1 FROM {s}.otp_totp_totpdevice d WHERE d.user_id = u.id AND d.confirmed)",
        [SITE_ADMIN], limit=LIMIT,
    )
    return people + [Person(*row) for row in rows], capped


def stale_accounts(now=None):
    """Active accounts with no login for STALE_ACCOUNT_DAYS (counted from their creation if never); (people, capped)."""
    require_public_schema()
    cutoff = (now or timezone.now()) - timedelta(days=settings.STALE_ACCOUNT_DAYS)
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login=None, date_joined__lt=cutoff)).order_by("username")
    people = [Person(None, u.username, u.last_login, u.date_joined) for u in staff]
    rows, capped = across_sites(
        "SELECT %s, u.username, u.last_login, u.date_joined FROM {s}.auth_user u WHERE u.is_active"
        " AND coalesce(u.last_login, u.date_joined) < %s",
        [cutoff], limit=LIMIT,
    )
    return people + [Person(*row) for row in rows], capped


def recent_failures(hours=24, now=None):
    """Failed passwords and codes of the last `hours`, per site (None: the console), most first."""
    since = (now or timezone.now()) - timedelta(hours=hours)
    return list(
        AuditEvent.objects.filter(created_at__gte=since,
                                  action__in=[AuditAction.LOGIN_FAILED, AuditAction.TWO_FACTOR_FAILED])
        .values("site_id", "site_label")
        .annotate(passwords=Count("pk", filter=Q(action=AuditAction.LOGIN_FAILED)),
                  codes=Count("pk", filter=Q(action=AuditAction.TWO_FACTOR_FAILED)), total=Count("pk"))
        .order_by("-total", "site_label")
    )


def last_verification():
    """The newest VERIFY_AUDIT row (verify_audit records each run), or None if it never ran."""
    return AuditEvent.objects.filter(action=AuditAction.VERIFY_AUDIT).order_by("-created_at").first()
