from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    label = "sitesearch"  # "search" is taken by wagtail.search
    verbose_name = "站内搜索"

    def ready(self):
        from . import signals  # noqa: F401 (keeps both indexes in step with publishing)
