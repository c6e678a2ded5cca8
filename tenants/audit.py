"""Writing audit rows. Every action in tenants.actions calls `record` inside its transaction.

The action is an `AuditAction` (tenants.models): a typed code with its Chinese label, never a
free string, so the console can name every row.

Inside the sites, Wagtail logs every admin action (publish, unpublish, delete, move, view
restrictions, users and groups...) in the site's own log; `tenants.site_audit` copies each of
those entries into the platform's trail as it is written, so one searchable record covers
the console and every site. "From where" is the address of the request being served
(`request_source`, set by the routing middleware), or cli:<user> / system.
"""

import contextvars
import getpass
import ipaddress
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name

from .models import AuditAction, AuditEvent, current_site

_request_source = contextvars.ContextVar("audit_request_source", default="")


def client_address(request):
    """The visitor's address: the header nginx sets in production (CLIENT_ADDRESS_HEADER), else REMOTE_ADDR.

    Only an IP address counts: a header missing (a request that did not come through nginx) or
    holding anything else gives way to the connection's own address, never an error.
    """
    for key in (settings.CLIENT_ADDRESS_HEADER, "REMOTE_ADDR"):
        value = (request.META.get(key) or "").strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return "0.0.0.0"  # noqa: S104 (no address at all: one bucket for every such request)


@contextmanager
def request_source(source):
    """While serving a request: audit rows written without a source of their own get this one."""
    token = _request_source.set(source)
    try:
        yield
    finally:
        _request_source.reset(token)


def current_source():
    return _request_source.get()


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


def record_here(action, *, user, source=None, **detail):
    """One audit row for something `user` did in the schema the connection is in: the console (public)
    or a site (its schema). For the apps' own events inside a site (mailbox handling, downloads,
    exports) and for logins; the console's actions use `record`.

    A site's accounts are not the public schema's users, so only console staff are linked to the
    row; everyone is named by user name. The address is the request's (`request_source`) unless given.
    Returns the row, or None in the template or a spare schema (nobody works there).
    """
    in_public = connection.schema_name == get_public_schema_name()
    site = None if in_public else current_site()
    if site is None and not in_public:
        return None
    name = user.get_username() if hasattr(user, "get_username") else str(user or "")
    return AuditEvent.objects.create(
        actor=user if in_public and getattr(user, "pk", None) else None,
        actor_label=(name or "（未填写用户名）")[:150],
        action=action, site=site, site_label=str(site) if site else "", detail=detail,
        source=(current_source() if source is None else source)[:100],
    )


def record(action, *, acting_user, site=None, source="", **detail):
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit.record takes an AuditAction, not {action!r}")
    return AuditEvent.objects.create(
        actor=acting_user if acting_user is not None and acting_user.pk else None,
        actor_label=actor_label(acting_user, source),
        action=action,
        site=site,
        site_label=str(site) if site else "",
        detail=detail,
        source=source[:100],
    )
