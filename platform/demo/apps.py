from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Top floor, beside the console: it fills every app, and no app imports it."""

    name = "demo"
    verbose_name = "演示数据"
