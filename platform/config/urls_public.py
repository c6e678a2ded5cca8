"""URLs of the platform console host (public schema: no Wagtail tables here)."""

from django.urls import include, path

from tenants.views import health

urlpatterns = [
    path("-/health", health, name="health"),
    path("", include("console.urls")),
]
