"""Check every running site's links (monitoring/crawler.py); a timer runs it nightly.

Broken links are the finding, not an error: the command fails only if it could not run.
"""

import time

from django.core.management.base import BaseCommand

from monitoring.crawler import crawl_sites
from tenants.models import GovSite, SiteStatus


class Command(BaseCommand):
    help = "检测各站点的链接（站内和站外），记录不可用链接"

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只检测这些区划代码的站点（可重复）")

    def handle(self, *args, **options):
        sites = GovSite.objects.filter(status=SiteStatus.ACTIVE).prefetch_related("domains").order_by("region_code")
        if options["site"]:
            sites = sites.filter(region_code__in=options["site"])
        started = time.monotonic()
        results = crawl_sites(list(sites))
        pages = sum(r.pages for r in results.values())
        broken = sum(len(r.broken) for r in results.values())
        for site, result in results.items():
            if result.broken:
                self.stderr.write(f"{site}：{len(result.broken)} 个不可用链接")
        self.stdout.write(
            f"已检测 {len(results)} 个站点、{pages} 个页面，发现 {broken} 个不可用链接，"
            f"用时 {time.monotonic() - started:.0f} 秒"
        )
