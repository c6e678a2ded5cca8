from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure"
    verbose_name = "依申请公开"

    def ready(self):
        from . import (  # noqa: F401  (each connects on import)
            folding,  # a folding township's applications come along
            signals,  # the office's permission on every site
        )
