"""URLs of the platform console host (public schema: no Wagtail tables here)."""

from django.urls import include, path

urlpatterns = [
    path("", include("tenants.console.urls")),
]
