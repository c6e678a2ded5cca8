"""Writing audit rows. Every action in tenants.actions calls `record` inside its transaction."""

import getpass

from .models import AuditEvent


def actor_label(acting_user, source):
    if acting_user is not None:
        return acting_user.get_username()
    if source.startswith("cli:"):
        return source
    return "system"


def cli_source():
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def record(action, *, acting_user, site=None, source="", **detail):
    return AuditEvent.objects.create(
        actor=acting_user if acting_user is not None and acting_user.pk else None,
        actor_label=actor_label(acting_user, source),
        action=action,
        site=site,
        site_label=str(site) if site else "",
        detail=detail,
        source=source[:100],
    )
