"""The demo province for `make run`: Sichuan's province, cities and (by default) Chengdu's counties.

Re-running reuses what exists. Credentials of new accounts go to var/demo-credentials.csv.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import schema_context
from tqdm import tqdm

from demo.content import add_missing_demo_content
from syndication.demo import distribute_demo_item
from tenants import actions, audit, regions, staff_roles
from tenants.management.commands.import_regions import report, write_credentials
from tenants.models import GovSite

DATA_FILE = settings.BASE_DIR / "tenants" / "data" / "regions-sichuan.csv"
DEMO_CITY = "510100"  # 成都市: its counties are in the default demo
# The console's three administrators (三员分立), each a person of their own.
DEMO_STAFF = [
    ("admin", "省级系统管理员", staff_roles.SYSTEM),
    ("anquan", "省级安全管理员", staff_roles.SECURITY),
    ("shenji", "省级审计管理员", staff_roles.AUDITOR),
]
DEMO_TOWNSHIPS = [
    # Township rows are not in the national data set; two are generated under 锦江区.
    regions.RegionRow(line=0, region_code="510104001", name="春熙路街道", level="township", parent_code="510104"),
    regions.RegionRow(line=0, region_code="510104002", name="书院街街道", level="township", parent_code="510104"),
]


class Command(BaseCommand):
    help = "开设演示省份：四川省、21 个市州和成都市的区县，外加两个乡镇街道站点。--full 开设全省 205 个站点。"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="开设全省所有市县站点（205 个）")
        parser.add_argument(
            "--credentials", default=str(settings.VAR_DIR / "demo-credentials.csv"),
            help="写入新账号初始密码的文件",
        )

    def handle(self, *args, **options):
        credentials = Path(options["credentials"])
        self._platform_admin(credentials)
        rows = regions.parse(regions.decode(DATA_FILE.read_bytes()))
        if not options["full"]:
            rows = [r for r in rows if r.level in ("province", "city") or r.parent_code == DEMO_CITY]
        rows += DEMO_TOWNSHIPS
        summary = actions.import_rows(
            rows, acting_user=None, source=audit.cli_source(),
            progress=lambda total: tqdm(total=total, desc="开设演示站点", unit="站"),
        )
        report(self, summary, credentials)
        if summary.errors:
            raise CommandError("部分演示站点未能开设，见上方错误")
        sites = GovSite.objects.filter(region_code__in=[r.region_code for r in rows]).order_by("region_code")
        for site in tqdm(list(sites), desc="生成演示内容", unit="站"):
            with schema_context(site.schema_name), transaction.atomic():
                add_missing_demo_content(site)
        province = sites.filter(level="province").first()
        if province is not None and distribute_demo_item(province):
            self.stdout.write(f"{province.name}已将最新一条新闻分发到下级站点的“上级信息”栏目")
        sample = GovSite.objects.filter(region_code="510104").first()
        self.stdout.write("")
        self.stdout.write(f"平台控制台：http://{settings.PLATFORM_CONSOLE_HOSTS[0]}:{settings.PLATFORM_SITE_PORT}/")
        if sample:
            self.stdout.write(f"示例站点：{sample.base_url()}/  后台：{sample.base_url()}/admin/")
        self.stdout.write(f"账号与初始密码：{credentials}")

    def _platform_admin(self, credentials):
        """The console's three administrators (三员分立): sites, accounts, the audit trail."""
        console_url = f"http://{settings.PLATFORM_CONSOLE_HOSTS[0]}:{settings.PLATFORM_SITE_PORT}/"
        rows = []
        for username, name, role in DEMO_STAFF:
            if get_user_model().objects.filter(username=username).exists():
                continue
            password = actions.create_staff_account(username, name=name, role=role, acting_user=None,
                                                    source=audit.cli_source())
            rows.append((f"平台控制台（{role}）", "", console_url, username, password))
        if rows:
            write_credentials(credentials, rows)
            self.stdout.write(f"已创建平台控制台的系统、安全、审计管理员（密码写入 {credentials}）")

