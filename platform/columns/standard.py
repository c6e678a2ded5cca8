"""Columns' part of every site's standard, answering the registry's signals (tenants.signals).

- apply_site_standard: the column skeleton (built once, in the template), every standard
  column a site lacks, and 站点设置 for the site's administrators;
- site_provisioned: the cloned template's placeholders become the new site's names.
"""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.search import index

from tenants.provisioning.site_groups import SITE_ADMIN, grant
from tenants.signals import apply_site_standard, site_provisioned

from .models import HomePage, SiteSettings
from .skeleton import SHORT_NAME_PLACEHOLDER, SITE_NAME_PLACEHOLDER, build_skeleton, ensure_standard_columns


@receiver(apply_site_standard)
def standard_columns(sender, **kwargs):
    """Returns the titles of the standard columns added."""
    home = HomePage.objects.first()
    if home is None:
        # A schema fresh from the migrations: Wagtail's "Welcome to Wagtail" page (a plain Page) gives way.
        root = Page.get_first_root_node()
        for page in root.get_children().filter(content_type=ContentType.objects.get_for_model(Page)):
            page.delete()
        root.refresh_from_db()
        home = build_skeleton(root)
    added = ensure_standard_columns(home)
    # 站点设置: the organiser, filing numbers, contact, logo and colour scheme.
    grant([SITE_ADMIN], [("columns", "change_sitesettings")])
    return added


@receiver(site_provisioned)
def name_the_site(sender, site, **kwargs):
    """The template's "{site}" and "{short}" page titles and its organiser become this site's."""
    SiteSettings.objects.update_or_create(
        site=Site.objects.get(), defaults={"organiser": f"{site.display_name}办公室"}
    )
    renamed = []
    for page in Page.objects.filter(title__contains="{"):
        title = page.title.replace(SITE_NAME_PLACEHOLDER, site.display_name).replace(
            SHORT_NAME_PLACEHOLDER, site.short_name
        )
        Page.objects.filter(pk=page.pk).update(title=title, draft_title=title)
        renamed.append(page.pk)
    for page in Page.objects.filter(pk__in=renamed).specific():
        index.insert_or_update_object(page)
