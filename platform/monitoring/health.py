"""Storing a site's indicators: the dashboard's row and today's snapshot (monitoring.models)."""

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import SiteStatus

from .indicators import compute
from .models import HealthSnapshot, SiteHealth

# The sites the inspection looks at: archived and folded ones no longer count.
MONITORED = (SiteStatus.ACTIVE, SiteStatus.SUSPENDED)


def refresh(site, now=None):
    """Compute `site`'s indicators in its schema and store them; returns the SiteHealth row."""
    now = now or timezone.now()
    with schema_context(site.schema_name):
        indicators = compute(site, now)
    vetoes = sum(1 for i in indicators if i["vetoed"])
    warnings = sum(1 for i in indicators if i["warning"])
    pending = [i["days_left"] for i in indicators if not i["vetoed"] and i["days_left"] is not None]
    with transaction.atomic():
        health, _ = SiteHealth.objects.update_or_create(site=site, defaults={
            "computed_at": now, "vetoes": vetoes, "warnings": warnings,
            "days_left": min(pending) if pending else None, "indicators": indicators,
        })
        HealthSnapshot.objects.update_or_create(site=site, day=timezone.localdate(now), defaults={
            "vetoes": vetoes, "values": {i["key"]: i["value"] for i in indicators},
        })
    return health
