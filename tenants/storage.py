"""Per-site media storage.

Files are stored under MEDIA_ROOT/<schema>/ but addressed as /media/<path> on the
site's own host. The serving view (tenants.views.serve_media) only looks in the
current site's folder, so a file URL of one site answers 404 on every other site.
"""

from django.conf import settings
from django_tenants.files.storage import TenantFileSystemStorage


class SiteMediaStorage(TenantFileSystemStorage):
    @property
    def base_url(self):
        return settings.MEDIA_URL
