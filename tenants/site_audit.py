"""Copy each entry of a site's Wagtail log into the platform's audit trail as it is written.

Wagtail logs what editors do in the admin — publish, unpublish, delete, move, copy, view
restrictions, workflow steps, users, groups and their permissions — in the site's own
schema (PageLogEntry, ModelLogEntry), with the editor's account. The platform's trail
(tenants.AuditEvent, public schema) gets one row per entry in the same transaction: the
site, the editor's user name (site accounts exist only in their site, so it is kept as
text), the action, what it was about, and where the request came from.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.signals import post_save
from wagtail.models import ModelLogEntry, PageLogEntry

from . import audit
from .models import AuditEvent, current_site

# Wagtail's own bookkeeping, not an editor's action.
SKIPPED = {"wagtail.view_restriction.view"}


def mirror(sender, instance, created=False, raw=False, **kwargs):
    if not created or raw or instance.action in SKIPPED:
        return
    site = current_site()
    if site is None:  # the template or a spare schema being prepared: no site yet
        return
    user = instance.user
    detail = {"label": instance.label, "model": instance.content_type.model if instance.content_type_id else ""}
    if isinstance(instance, PageLogEntry):
        detail["page_id"] = instance.page_id
    else:
        detail["object_id"] = instance.object_id
    if instance.data:
        # Wagtail's data may hold dates (scheduled publishing): stored as its log stores them.
        detail["data"] = json.loads(json.dumps(instance.data, cls=DjangoJSONEncoder))
    AuditEvent.objects.create(
        actor=None,
        actor_label=user.get_username() if user is not None else "system",
        action=f"site:{instance.action}",
        site=site,
        site_label=str(site),
        detail=detail,
        source=audit.current_source() or ("system" if user is None else ""),
    )


def connect():
    for model in (PageLogEntry, ModelLogEntry):
        post_save.connect(mirror, sender=model, dispatch_uid=f"tenants.site_audit.{model.__name__}")
