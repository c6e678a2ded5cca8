"""Wire the index to Wagtail's page lifecycle and to the mailbox's publish switch.

Runs in whatever site schema the change happens in (the admin request's, a job's);
indexing happens in the same transaction as the change.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from interaction.models import Message
from tenants.models import current_site
from tenants.routing import site_urls
from tenants.signals import site_content_replaced, site_folded

from . import index


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    index.index_page(instance, current_site())


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    # Unpublishing a page takes its descendants off the site too. Deleting a live page
    # unpublishes it first (Wagtail's pre_delete handler), so deletions arrive here as well.
    site = current_site()
    for page in Page.objects.descendant_of(instance, inclusive=True):
        index.remove(index.page_key(page.pk), site)


@receiver(post_page_move)
def on_move(sender, instance, **kwargs):
    index.index_subtree(instance, current_site())


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_view_restriction_change(sender, instance, **kwargs):
    """A section made private (or public again) leaves (or rejoins) both indexes at once, with everything below."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        index.index_subtree(page, current_site())


def on_message_saved(sender, instance, created=False, **kwargs):
    if created and not instance.is_published:
        return  # a new message is never public: nothing to index or withdraw
    index.index_message(instance, current_site())


post_save.connect(on_message_saved, sender=Message, dispatch_uid="search.index_message")


@receiver(site_folded)
def on_township_folded(sender, township, county, fold, **kwargs):
    """The township's pages and exchanges, now a 专栏 of the county, are found by the county's search."""
    with schema_context(county.schema_name), site_urls():
        index.index_subtree(Page.objects.get(pk=fold.column_page_id), county)


@receiver(site_content_replaced)
def on_content_replaced(sender, site, **kwargs):
    """A restore brought back another state of the site: both indexes are rebuilt from it."""
    index.rebuild(site)
