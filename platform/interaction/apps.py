from django.apps import AppConfig


class InteractionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interaction"
    verbose_name = "互动交流"

    def ready(self):
        from wording.scan import register_source

        from . import (  # noqa: F401  (each registers or connects on import)
            checks,  # the calendar-coverage check
            folding,  # a folding township's messages and feedback come along
            signals,  # the standard groups' permission; the edge after an editor's change
        )
        from .actions import published_items

        register_source(published_items)  # published exchanges are re-scanned with the pages
