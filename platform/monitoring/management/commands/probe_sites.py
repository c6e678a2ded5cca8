"""Probe every monitored site's home page once (availability, monitoring/probes.py); a timer runs it every 30 min.

Sites that fail are reported; the command itself fails only when it could not run.
"""

import time

from django.core.management.base import BaseCommand

from monitoring.probes import probe_all
from tenants.models import GovSite, SiteStatus


class Command(BaseCommand):
    help = "监测各站点首页能否在时限内打开（可用性），结果计入当天的统计"

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只监测这些区划代码的站点（可重复）")

    def handle(self, *args, **options):
        # Suspended sites answer 503 on purpose; they are not probed.
        sites = GovSite.objects.filter(status=SiteStatus.ACTIVE).prefetch_related("domains").order_by("region_code")
        if options["site"]:
            sites = sites.filter(region_code__in=options["site"])
        started = time.monotonic()
        results = probe_all(list(sites))
        failed = [(site, result) for site, result in results.items() if not result.ok]
        for site, result in failed:
            self.stderr.write(f"{site}：{result.error}（{result.ms} 毫秒）")
        self.stdout.write(
            f"已监测 {len(results)} 个站点，{len(failed)} 个失败，用时 {time.monotonic() - started:.1f} 秒"
        )
