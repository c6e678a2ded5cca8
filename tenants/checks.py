"""System checks that keep the platform tenant-safe by construction."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def cache_keys_carry_schema(app_configs, **kwargs):
    """Every cache alias must key by schema, or one site's cache leaks into another."""
    errors = []
    for alias, config in settings.CACHES.items():
        if config.get("KEY_FUNCTION") != settings.TENANT_CACHE_KEY_FUNCTION:
            errors.append(
                Error(
                    f"Cache alias '{alias}' has no tenant-aware KEY_FUNCTION",
                    hint=f"Set KEY_FUNCTION to {settings.TENANT_CACHE_KEY_FUNCTION!r}",
                    id="tenants.E001",
                )
            )
    return errors


@register()
def media_is_per_site(app_configs, **kwargs):
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend != "tenants.storage.SiteMediaStorage":
        return [
            Error("Default storage is not per site", hint="Use tenants.storage.SiteMediaStorage", id="tenants.E002")
        ]
    return []
