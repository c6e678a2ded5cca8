"""The theme's own routes on every site host, tried before Wagtail's page tree.

None can shadow a page: Wagtail slugs have no dots, and '_patterns' is not a slug of the
standard columns.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("_patterns/", views.pattern_library, name="pattern_library"),
]
