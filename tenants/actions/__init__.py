"""Every state change of the registry, one module per noun, each action of one shape.

An action is a function `verb_noun(..., *, acting_user, source="")`: it starts in the public
schema (switching into a site's schema only where it says so), runs in one transaction,
writes one audit row with its `AuditAction`, and sends what others must learn after commit
(routes, the edge) or as a tenants.signals signal inside the transaction (apps that own
content). Management commands, the console and tests call these and nothing else.
"""

from .backups import (
    backup_site,
    backup_sites,
    check_restore_as_new,
    delete_backup,
    finish_interrupted_restores,
    restore_as_new_site,
    restore_backup,
    verify_backup,
)
from .base import SiteActionError, lock_site, site_operation
from .domains import add_domain, remove_domain, set_primary_domain
from .folding import Fold, check_foldable, fold_township
from .imports import ImportSummary, import_rows
from .site_accounts import create_account, reset_password, reset_site_two_factor, set_active, unlock_login
from .sites import (
    SITE_ADMIN_USERNAME,
    ProvisionResult,
    archive_site,
    check_deletable,
    delete_site,
    provision_site,
    resume_site,
    suspend_site,
    unarchive_site,
)
from .staff import (
    break_glass,
    create_staff_account,
    end_break_glass,
    reset_staff_two_factor,
    set_staff_active,
    set_staff_role,
)
from .two_factor import confirm_two_factor, disable_two_factor, new_recovery_codes, start_two_factor_setup

__all__ = [
    "SITE_ADMIN_USERNAME",
    "Fold",
    "ImportSummary",
    "ProvisionResult",
    "SiteActionError",
    "add_domain",
    "archive_site",
    "backup_site",
    "backup_sites",
    "break_glass",
    "check_deletable",
    "check_foldable",
    "check_restore_as_new",
    "confirm_two_factor",
    "create_account",
    "create_staff_account",
    "delete_backup",
    "delete_site",
    "disable_two_factor",
    "end_break_glass",
    "finish_interrupted_restores",
    "fold_township",
    "import_rows",
    "lock_site",
    "new_recovery_codes",
    "provision_site",
    "remove_domain",
    "reset_password",
    "reset_site_two_factor",
    "reset_staff_two_factor",
    "restore_as_new_site",
    "restore_backup",
    "resume_site",
    "set_active",
    "set_primary_domain",
    "set_staff_active",
    "set_staff_role",
    "site_operation",
    "start_two_factor_setup",
    "suspend_site",
    "unarchive_site",
    "unlock_login",
    "verify_backup",
]
