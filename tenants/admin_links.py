"""Links in Wagtail's e-mails (moderation, workflow, comments) lead to the editor's own site.

Wagtail builds them from WAGTAILADMIN_BASE_URL, one address for an installation; here every site
answers on its own host, and the console's host has no Wagtail admin at all (a link there is a
404). While a site is served, its schema is the connection's, and the base URL is that site's
primary address; anywhere else (the console, a command outside any site) it is the setting.

Wagtail reads the setting through wagtail.admin.utils.get_admin_base_url, which two of its
modules import by name; `connect` (tenants.apps) replaces all three names.
"""

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name

from .models import current_site


def admin_base_url():
    if connection.schema_name != get_public_schema_name():
        site = current_site()
        base = site.base_url() if site is not None else None
        if base:
            return base
    return getattr(settings, "WAGTAILADMIN_BASE_URL", None)


def connect():
    import wagtail.admin.utils
    from wagtail.admin import userbar
    from wagtail.admin.templatetags import wagtailadmin_tags

    for module in (wagtail.admin.utils, userbar, wagtailadmin_tags):
        module.get_admin_base_url = admin_base_url
