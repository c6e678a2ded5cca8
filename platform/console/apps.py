from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The provincial console: pages over every app's public-schema data; it has no models of its own.

    The top floor: it may import any app, and no app imports it (`make lint`, import-linter).
    """

    name = "console"
    verbose_name = "平台控制台"
