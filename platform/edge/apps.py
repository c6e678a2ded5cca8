from django.apps import AppConfig


class EdgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "edge"
    verbose_name = "边缘缓存"

    def ready(self):
        from . import signals  # noqa: F401 (purges a site's pages at the edge when its content changes)
