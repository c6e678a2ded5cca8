"""Provision one site from the command line: a thin wrapper around tenants.actions.provision_site."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import actions, audit
from tenants.models import GovSite, SiteLevel


class Command(BaseCommand):
    help = (
        "开设一个站点（从模板复制，不到一秒）。例：provision_site --name 锦江区 --level county "
        "--parent 510100 --region-code 510104 --site-code 5101040001"
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="行政区划名称，例如 锦江区")
        parser.add_argument("--level", required=True, choices=SiteLevel.values)
        parser.add_argument("--parent", help="上级站点的区划代码（省级站点不填）")
        parser.add_argument("--region-code", required=True)
        parser.add_argument("--site-code", required=True, help="网站标识码（10 位）")
        parser.add_argument(
            "--domain", action="append", default=[], help="域名，可重复；第一个为主域名。不填则自动生成"
        )
        parser.add_argument(
            "--method", choices=["clone", "migrate"], default="clone",
            help="clone：从模板复制（默认）；migrate：逐个运行全部迁移（仅用于基准测试和对照）",
        )

    def handle(self, *args, **options):
        parent = None
        if options["parent"]:
            parent = GovSite.objects.filter(region_code=options["parent"].strip()).first()
            if parent is None:
                raise CommandError(f"找不到区划代码为 {options['parent']} 的上级站点")
        started = time.monotonic()
        try:
            result = actions.provision_site(
                name=options["name"], level=options["level"], parent=parent,
                region_code=options["region_code"], site_code=options["site_code"],
                domains=options["domain"], acting_user=None, source=audit.cli_source(), method=options["method"],
            )
        except ValidationError as exc:
            raise CommandError("站点未创建：" + "；".join(exc.messages)) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"已开设 {result.site.display_name}（{elapsed:.2f} 秒）"))
        self.stdout.write(f"网址：{result.base_url}/")
        self.stdout.write(f"后台：{result.admin_url}  账号：{result.admin_username}  初始密码：{result.admin_password}")
