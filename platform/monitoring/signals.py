"""A site's indicators follow what happens in it: publishing, unpublishing, moving, messages, applications.

Recomputed once per transaction, after it commits (a publish of ten pages is one refresh),
in the schema the change happened in. A failure is logged and never undoes the change:
the nightly `compute_indicators` catches up.
"""

import logging

from django.db import connection, transaction
from django.db.models.signals import post_save
from django_tenants.utils import schema_context
from wagtail.signals import page_published, page_unpublished, post_page_move

from disclosure.models import Application
from interaction.models import Message
from tenants.models import current_site

from .health import MONITORED, refresh

logger = logging.getLogger(__name__)


class _Refresh:
    """The after-commit refresh of one schema's site; a transaction holds at most one per schema."""

    def __init__(self, schema):
        self.schema = schema

    def __call__(self):


        try:
            with schema_context(self.schema):
                site = current_site()
            if site is not None and site.status in MONITORED:
                refresh(site)
        except Exception:
            logger.exception("indicators of %s not refreshed (the scheduled job will)", self.schema)


def site_changed(**kwargs):
    schema = connection.schema_name
    # Pending callbacks live on the connection and go with a rollback: nothing to forget by hand.
    if any(isinstance(func, _Refresh) and func.schema == schema for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_Refresh(schema), robust=True)


page_published.connect(site_changed, dispatch_uid="monitoring.published")
page_unpublished.connect(site_changed, dispatch_uid="monitoring.unpublished")
post_page_move.connect(site_changed, dispatch_uid="monitoring.moved")


def _row_saved(sender, **kwargs):
    site_changed()


# A message or an application answered (or registered) changes the site's counts of them.
post_save.connect(_row_saved, sender=Message, dispatch_uid="monitoring.message")
post_save.connect(_row_saved, sender=Application, dispatch_uid="monitoring.application")
