"""Bring the current site up to the template standard: new standard columns and group permissions.

Run in every site with `for_each_site update_site_standard` after an upgrade that
extends the standard (the template itself is refreshed automatically). Existing
columns and content are left as each site has them.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name
from wagtail.models import Page

from tenants.provisioning.template import apply_site_standard


class Command(BaseCommand):
    help = "为当前站点补齐标准栏目和默认用户组权限（请通过 for_each_site update_site_standard 运行）"

    def handle(self, *args, **options):
        if connection.schema_name == get_public_schema_name():
            raise CommandError("请在站点中运行：manage.py for_each_site update_site_standard")
        with transaction.atomic():
            if not Page.objects.filter(depth=2).exists():
                raise CommandError("本站点没有首页，无法补齐标准栏目")
            added = apply_site_standard()
        self.stdout.write("新增栏目：" + "、".join(added) if added else "标准栏目齐全")
