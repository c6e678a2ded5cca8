"""Delete a site for good (after a verified backup): wraps tenants.actions.delete_site."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import actions, audit
from tenants.models import GovSite


class Command(BaseCommand):
    help = "删除站点（数据库模式、文件和域名）。站点须已暂停或归档，并有其后校验通过的备份；--confirm 须为站点名称"

    def add_arguments(self, parser):
        parser.add_argument("region_code", help="站点的区划代码")
        parser.add_argument("--confirm", required=True, help="再次输入站点名称以确认")

    def handle(self, *args, **options):
        site = GovSite.objects.filter(region_code=options["region_code"].strip()).first()
        if site is None:
            raise CommandError(f"找不到区划代码为 {options['region_code']} 的站点")
        try:
            actions.delete_site(site, confirm_name=options["confirm"], acting_user=None, source=audit.cli_source())
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已删除 {site.display_name}；备份和审计记录保留"))
