"""Disclosure's answer to the platform: who handles applications on every site."""

from django.dispatch import receiver

from tenants.provisioning.site_groups import DISCLOSURE_OFFICE, SITE_ADMIN, grant
from tenants.signals import apply_site_standard


@receiver(apply_site_standard)
def application_handlers(sender, **kwargs):
    """信息公开办 handles applications; the site's administrators may too (a small township has no office)."""
    grant([DISCLOSURE_OFFICE, SITE_ADMIN], [("disclosure", "handle_application")])
