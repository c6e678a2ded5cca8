from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "站点管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers system checks)
            site_audit,
        )

        site_audit.connect()  # every site's Wagtail log entries into the platform's audit trail
