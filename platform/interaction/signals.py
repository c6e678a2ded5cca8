"""Interaction's answers to the platform: the standard groups' permission, and the edge after an editor's change."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from edge import purge
from tenants.models import current_site
from tenants.provisioning.site_groups import CONTENT_GROUPS, grant
from tenants.signals import apply_site_standard
from wording.scan import scan_message

from .actions import published_items
from .models import Message


@receiver(apply_site_standard)
def message_handlers(sender, **kwargs):
    """Every content group handles citizen messages in the admin's 群众留言 inbox."""
    grant(CONTENT_GROUPS, [("interaction", "handle_message")])


@receiver(post_save, sender=Message)
def on_message_saved(sender, instance, created=False, **kwargs):
    """An editor's change to a message (reply, publish, withdraw) may change the public replies page.

    A citizen's new message changes nothing public but the statistics, which the edge's
    TTL refreshes: a flood of submissions must not empty a site's cache.
    """
    if not created:
        site = current_site()
        purge.request_purge(site)
        if site is not None:
            # Its 错敏词 findings follow whether it is public (wording.scan).
            items = list(published_items(site, Message.objects.filter(pk=instance.pk)))
            scan_message(site, instance.tracking_code, items[0] if items else None)
