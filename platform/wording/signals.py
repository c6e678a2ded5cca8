"""A page's findings follow its publishing: published, it is scanned again (a fixed error leaves the
to-do list and the dashboard at once); withdrawn or deleted, its findings go. A site whose schema a
restore replaced is scanned again whole."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from tenants.models import current_site
from tenants.signals import site_content_replaced

from .scan import scan_page, scan_site


def _rescan(sender, instance, **kwargs):
    site = current_site()
    if site is not None:
        scan_page(site, instance)


page_published.connect(_rescan, dispatch_uid="wording.published")
page_unpublished.connect(_rescan, dispatch_uid="wording.unpublished")


@receiver(site_content_replaced, dispatch_uid="wording.content_replaced")
def _restored(sender, site, **kwargs):
    scan_site(site)
