"""The tenants app's models (public schema), one module per concept: the registry, the audit trail,
backups, and the long operations run by the job worker."""

from .accounts import EmergencyRole, PasswordChangeRequired
from .audit import SITE_ACTION_LABELS, AuditAction, AuditEvent
from .backups import PendingMediaSwap, SiteBackup
from .jobs import UNFINISHED, JobKind, JobState, SiteJob
from .registry import (
    Domain,
    FoldedPath,
    GovSite,
    SiteLevel,
    SiteStats,
    SiteStatus,
    SpareSchema,
    TemplateSnapshot,
    WrongSchema,
    current_site,
    hostname_validator,
    require_schema,
    sites_below,
)

__all__ = [
    "SITE_ACTION_LABELS", "UNFINISHED", "AuditAction", "AuditEvent", "Domain", "EmergencyRole", "FoldedPath",
    "GovSite", "JobKind", "JobState", "PasswordChangeRequired", "PendingMediaSwap", "SiteBackup", "SiteJob",
    "SiteLevel", "SiteStats", "SiteStatus", "SpareSchema", "TemplateSnapshot", "WrongSchema", "current_site",
    "hostname_validator", "require_schema", "sites_below",
]
