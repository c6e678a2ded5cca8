from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "年度报表"

    def ready(self):
        from . import signals  # noqa: F401 (keeps the province's gathering in step with publishing)
