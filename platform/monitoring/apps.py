from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = "网站监测"

    def ready(self):
        from . import applications, signals  # noqa: F401 (indicators follow publishing, the mailbox, applications)
