"""The library follows a site's life: a folded township's items are the county's now."""

from django.dispatch import receiver

from tenants.signals import site_folded

from .models import ResourceItem


@receiver(site_folded)
def forget_folded_township(sender, township, county, fold, **kwargs):
    """Its pages live on as copies in the county's 专栏 (indexed there, with the county as their site)."""
    ResourceItem.objects.filter(site=township).delete()
