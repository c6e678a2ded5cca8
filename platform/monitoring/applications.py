"""The province's copy of every site's applications for disclosure (monitoring.TrackedApplication).

`track` runs on every save of an Application, in the site's schema and transaction (so the row
commits or rolls back with the step), in a savepoint of its own: if the copy cannot be written the
step still happens (the applicant's application is never lost for it) and the failure is logged;
`resync` rebuilds a site's rows from its schema, when its indicators are computed and after a
restore replaced the schema.
"""

import logging

from django.db import DatabaseError, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from disclosure.models import Application
from tenants.models import current_site, require_schema
from tenants.signals import site_content_replaced

from .models import TrackedApplication

logger = logging.getLogger(__name__)

FIELDS = ["tracking_code", "info_title", "applicant_kind", "channel", "received_on", "due_date", "status",
          "result", "reason", "answered_on"]


def _values(application):
    return {field: getattr(application, field) for field in FIELDS}


def track(site, application):
    TrackedApplication.objects.update_or_create(site=site, application_id=application.pk,
                                                defaults=_values(application))


def resync(site):
    """`site`'s rows from its schema (the connection is in it): one delete, one insert."""
    require_schema(site)
    TrackedApplication.objects.filter(site=site).delete()
    TrackedApplication.objects.bulk_create(
        TrackedApplication(site=site, application_id=application.pk, **_values(application))
        for application in Application.objects.only("pk", *FIELDS).iterator()
    )


@receiver(post_save, sender=Application, dispatch_uid="monitoring.track_application")
def _application_saved(sender, instance, **kwargs):
    site = current_site()
    if site is None:
        return
    try:
        with transaction.atomic():
            track(site, instance)
    except DatabaseError:
        logger.exception("province copy of application %s not written (compute_indicators rebuilds it)",
                         instance.tracking_code)


@receiver(site_content_replaced, dispatch_uid="monitoring.resync_applications")
def _content_replaced(sender, site, **kwargs):
    resync(site)
