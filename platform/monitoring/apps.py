from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = "网站监测"

    def ready(self):
        from . import signals  # noqa: F401 (a site's indicators follow its publishing and its mailbox)
