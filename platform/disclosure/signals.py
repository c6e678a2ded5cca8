"""Disclosure's answer to the platform: who handles applications, and who writes the annual disclosure
report, on every site."""

from django.contrib.auth.models import Group, Permission
from django.dispatch import receiver
from wagtail.models import GroupPagePermission

from columns.models import ColumnPage, ColumnType
from tenants.provisioning.site_groups import DISCLOSURE_OFFICE, SITE_ADMIN, grant
from tenants.signals import apply_site_standard

# The office drafts and edits the reports under 政府信息公开年报; publishing goes through 审核.
REPORT_PAGE_PERMISSIONS = ["add_page", "change_page"]


@receiver(apply_site_standard)
def application_handlers(sender, **kwargs):
    """信息公开办 handles applications; the site's administrators may too (a small township has no office).
    The office also writes the 政府信息公开工作年度报告 (the site groups are reset before this runs;
    columns, answering first, has made the column)."""
    grant([DISCLOSURE_OFFICE, SITE_ADMIN], [("disclosure", "handle_application")])
    column = ColumnPage.objects.filter(column_type=ColumnType.DISCLOSURE_REPORT).first()
    office = Group.objects.filter(name=DISCLOSURE_OFFICE).first()
    if column is None or office is None:
        return
    for codename in REPORT_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=office, page=column,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
