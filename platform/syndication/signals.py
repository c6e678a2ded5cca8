"""Keep distributions and their copies in step with what editors do, on either end.

Source side: publishing a distributed page again revises every copy; unpublishing (or
deleting) it withdraws them. Receiving side: an editor who unpublishes or deletes a 转载
page declines the item (later revisions stay off the site); publishing it again takes it
back. Changes syndication makes itself (sync.applying) are not editors' decisions.
"""

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from library.models import Delivery, Distribution
from tenants.models import GovSite, SiteStatus, current_site
from tenants.provisioning.site_groups import SITE_ADMIN, grant
from tenants.signals import apply_site_standard, site_content_replaced, site_status_changed

from . import actions, content, sync
from .models import ReprintPage


def _decide(page, state):
    if sync.applying():
        return
    site = current_site()
    if site is not None:
        Delivery.objects.filter(site=site, distribution_id=page.distribution_id).update(
            state=state, page_id=page.pk if state == Delivery.State.ACCEPTED else None)


def _distributions_here():
    """This schema's site's distributions, found by the schema name: no registry look-up on the hot path."""
    return Distribution.objects.filter(source_site__schema_name=connection.schema_name).select_related("source_site")


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    if isinstance(instance, ReprintPage):
        _decide(instance, Delivery.State.ACCEPTED)
    elif content.is_distributable(instance):
        # Every publish of every site comes here: one indexed query when the page was never distributed.
        distribution = _distributions_here().filter(source_page_id=instance.pk).first()
        if distribution is None:
            return
        if content.is_private(instance):  # restricted meanwhile: the copies go, as if unpublished
            actions.withdraw_source(distribution.source_site, [instance.pk])
        else:
            actions.follow_source(instance, distribution.source_site)


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    if isinstance(instance, ReprintPage):
        _decide(instance, Delivery.State.DECLINED)
        return
    # Unpublishing a page takes what is below it off the site too (as the search index does).
    active = _distributions_here().filter(status=Distribution.Status.ACTIVE).first()
    if active is not None:
        ids = Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
        actions.withdraw_source(active.source_site, list(ids))


@receiver(post_save, sender=PageViewRestriction)
def on_restricted(sender, instance, created=False, raw=False, **kwargs):
    """A page or a section made private: what was distributed from it or below it is withdrawn."""
    if raw:
        return
    active = _distributions_here().filter(status=Distribution.Status.ACTIVE).first()
    if active is not None:
        ids = Page.objects.descendant_of(instance.page, inclusive=True).values_list("pk", flat=True)
        actions.withdraw_source(active.source_site, list(ids))


@receiver(post_delete, sender=ReprintPage)
def on_reprint_deleted(sender, instance, **kwargs):
    _decide(instance, Delivery.State.DECLINED)


@receiver(site_status_changed, sender=GovSite)
def on_site_status_changed(sender, site, previous, **kwargs):
    """A site running again catches up with what it missed while it was not."""
    if site.status == SiteStatus.ACTIVE:
        sync.notify()


@receiver(site_content_replaced)
def on_content_replaced(sender, site, **kwargs):
    """A restore brought back another state of the site: its deliveries and distributions follow it."""
    actions.relink_after_restore(site)


@receiver(apply_site_standard)
def reprint_settings(sender, **kwargs):
    """The site's administrators choose how it receives (上级信息接收: at once, or after review)."""
    grant([SITE_ADMIN], [("syndication", "change_reprintsettings")])
