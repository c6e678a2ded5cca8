from django.apps import AppConfig


class ColumnsConfig(AppConfig):
    name = "columns"
    verbose_name = "栏目"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (  # noqa: F401  (they connect their receivers)
            folding,  # a township folding into its county: its pages become a 专栏
            standard,  # the column skeleton, and a new site's names
        )
