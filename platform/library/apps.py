from django.apps import AppConfig


class LibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "library"
    verbose_name = "信息资源库"

    def ready(self):
        from . import signals  # noqa: F401 (a folded township's items leave the library)
