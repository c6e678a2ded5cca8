from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "syndication"
    verbose_name = "上级信息"

    def ready(self):
        from . import signals  # noqa: F401 (a distributed page's copies follow its publishing)
