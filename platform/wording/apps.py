from django.apps import AppConfig


class WordingConfig(AppConfig):
    name = "wording"
    verbose_name = "错敏词检查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401 (a page's findings follow its publishing)
