"""Recompute every site's inspection indicators and mail alerts (the scheduled job; publishing keeps them current).

Time passes even where nothing happens: a column goes stale on its own. Each site's applications
for disclosure are copied again for the console's province-wide list (monitoring.applications). One site's failure
is reported and the others go on; the exit status says whether any failed.
"""

import traceback

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from tqdm import tqdm

from monitoring import applications
from monitoring.alerts import send_alerts, send_digest
from monitoring.health import MONITORED, refresh
from monitoring.models import SiteHealth
from tenants.management.selection import only_these
from tenants.models import GovSite


class Command(BaseCommand):
    help = "计算全部站点的监测指标（首页更新、栏目更新、空白栏目、留言答复）"

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只计算这些区划代码的站点（可重复）")

    def handle(self, *args, **options):
        sites = GovSite.objects.filter(status__in=MONITORED).prefetch_related("domains").order_by("region_code")
        if options["site"]:
            sites = only_these(sites, options["site"], what="运行中站点")
        else:
            # Archived and folded sites are no longer inspected: their rows leave the dashboard.
            SiteHealth.objects.exclude(site__status__in=MONITORED).delete()
        now = timezone.now()
        failed = []
        alerted = []
        for site in tqdm(list(sites), desc="监测指标", unit="站", disable=None):
            try:
                with schema_context(site.schema_name):
                    applications.resync(site)
                alerted += [(site, indicator) for indicator in send_alerts(site, refresh(site, now), now)]
            except Exception:
                failed.append(site)
                self.stderr.write(f"{site}：计算失败\n{traceback.format_exc()}")
            finally:
                connection.set_schema_to_public()
        send_digest(alerted)
        self.stdout.write(f"已计算 {len(sites) - len(failed)} 个站点的监测指标，新预警 {len(alerted)} 条")
        if failed:
            raise CommandError(f"{len(failed)} 个站点计算失败：" + "、".join(str(s) for s in failed))
