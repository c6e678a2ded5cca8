from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "站点管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            admin_links,
            checks,  # noqa: F401  (registers system checks)
            logins,
            site_audit,
        )

        site_audit.connect()  # every site's Wagtail log entries into the platform's audit trail
        logins.connect()  # logins, failures, lockouts and logouts of the console and every site's admin
        admin_links.connect()  # Wagtail's e-mails link to the editor's own site, not WAGTAILADMIN_BASE_URL

        from .db.public_rules import keep_staff_rules_in_public

        # Deleting a site's account never deletes a staff device or blanks a staff audit record.
        keep_staff_rules_in_public()
