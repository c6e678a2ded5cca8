from django.apps import AppConfig


class WordingConfig(AppConfig):
    name = "wording"
    verbose_name = "错敏词检查"
    default_auto_field = "django.db.models.BigAutoField"
