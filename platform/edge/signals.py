"""Purge a site's pages at the edge whenever what its visitors can see changes.

Runs in the site's schema (the admin request's, a job's); the purge itself waits for
the commit (edge.purge).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from tenants.models import current_site
from tenants.signals import site_routing_changed

from . import purge


def _paths(page):
    """The page's address and its parent's (a column listing it), for backends that purge by URL."""
    paths = []
    for each in (page, page.get_parent()):
        url = each.get_url() if each is not None else None
        if url and url.startswith("/"):
            paths.append(url)
    return paths


@receiver(page_published)
@receiver(page_unpublished)
def on_page_change(sender, instance, **kwargs):
    # Deleting a live page unpublishes it first (Wagtail's pre_delete handler): deletions arrive here too.
    purge.request_purge(current_site(), _paths(instance))


@receiver(post_page_move)
def on_move(sender, instance, **kwargs):
    purge.request_purge(current_site(), _paths(instance))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_view_restriction_change(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    purge.request_purge(current_site(), _paths(page) if page else ())


@receiver(post_save)
def on_site_setting_saved(sender, instance, **kwargs):
    """A site setting (organiser, filing numbers, contact details) is on every page's furniture."""
    if isinstance(instance, BaseSiteSetting):
        purge.request_purge(current_site())


@receiver(site_routing_changed)
def on_routing_changed(sender, site, hosts, settled_after, **kwargs):
    """A site's hosts answer differently from this commit (a 503, a 301, the site again, nothing):
    purged at commit, and again once every worker routes by the new registry rows."""
    purge.request_host_purge(hosts, again_after=settled_after)
