"""Files citizens send with their messages: per site, and never under a public URL.

Public media (tenants.storage.SiteMediaStorage) is served to anyone at /media/.
Mailbox attachments may carry personal data, so they live in a separate tree,
PRIVATE_MEDIA_ROOT/<schema>/, that no URL maps to; editors download them through
an admin view that checks their permission.
"""

import logging
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction

logger = logging.getLogger(__name__)


class PrivateSiteStorage(FileSystemStorage):
    """The folder of the connection's site, or of `schema` when given: pinned to one site, for work
    that may run after the connection has moved to another schema (a callback after the commit)."""

    def __init__(self, schema=None, **kwargs):
        super().__init__(base_url=None, **kwargs)
        self.schema = schema

    @property
    def base_location(self):
        return os.path.join(settings.PRIVATE_MEDIA_ROOT, self.schema or connection.schema_name)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("mailbox attachments have no public URL; use the admin download view")

    def deconstruct(self):
        # Migrations record the class only: the location is a setting, per site.
        return ("interaction.storage.PrivateSiteStorage", (), {})



def free_name(storage, make_name):
    """The first name `make_name()` gives that `storage` does not hold (random names: the first, in practice)."""
    while True:
        name = make_name()
        if not storage.exists(name):
            return name


def save_after_commit(storage, name, upload):
    """Write `upload` under `name` once the transaction commits, so a rollback leaves no file with a
    citizen's personal data behind. The bytes are read now: the callback may outlive the request's upload."""
    content = ContentFile(upload.read())

    def store():
        stored = storage.save(name, content)
        if stored != name:
            logger.error("private file %s stored as %s: its row points to the first name", name, stored)

    transaction.on_commit(store, robust=True)
