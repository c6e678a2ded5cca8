"""Clear sites' pages at the edge now: after an upgrade that changes the theme (deploy/README.md,
Upgrade), every cached page was rendered by the old code; also by hand, for one site."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from edge import purge
from tenants.models import Domain


class Command(BaseCommand):
    help = "清除边缘缓存中各站点的页面（升级后，或手工清除某个站点）"

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只清除这些区划代码的站点（可重复）")

    def handle(self, *args, **options):
        if not settings.WAGTAILFRONTENDCACHE:
            raise CommandError("未配置边缘缓存（EDGE_CACHE_PURGE_LOCATIONS）：没有可清除的缓存")
        domains = Domain.objects.exclude(tenant__schema_name="public")
        if options["site"]:
            domains = domains.filter(tenant__region_code__in=options["site"])
            missing = sorted(set(options["site"]) - set(domains.values_list("tenant__region_code", flat=True)))
            if missing:
                raise CommandError(f"没有这些区划代码的站点：{'、'.join(missing)}")
        hosts = sorted(domains.values_list("domain", flat=True))
        failures = purge.purge_urls([f"{settings.PLATFORM_SITE_SCHEME}://{host}/" for host in hosts])
        done = len(hosts) - len(failures)
        self.stdout.write(f"已清除 {done} 个域名的边缘缓存，{len(failures)} 个失败（稍后自动重试）")
        if failures:
            raise SystemExit(1)
