"""Remind every site whose reports of last year are not yet published and soon due: `remind_annual_reports`.

A timer runs it on 20 January (the 31 January reports) and on 20 March (the county-level and higher
governments' disclosure reports, due 31 March). One site's failure is reported and the others go
on; the exit status says whether any failed.
"""

import traceback

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from library.models import ReportKind
from reports.reminders import remind
from tenants.management.selection import only_these
from tenants.models import GovSite, SiteStatus


class Command(BaseCommand):
    help = "提醒尚未发布上一年度年度报告（网站年度报表、政府信息公开工作年度报告）的站点"

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只提醒这些区划代码的站点（可重复）")

    def handle(self, *args, **options):
        sites = GovSite.objects.filter(status=SiteStatus.ACTIVE).prefetch_related("domains").order_by("region_code")
        if options["site"]:
            sites = only_these(sites, options["site"], what="运行中站点")
        today = timezone.localdate()
        failed, reminded = [], 0
        for site in sites:
            try:
                reports, mailed = remind(site, today)
                if reports:
                    reminded += 1
                    what = "、".join(f"{ReportKind(r.kind).label}（期限 {r.due:%m-%d}）" for r in reports)
                    self.stdout.write(f"{site}：{what}，已发送给 {mailed} 个账号" if mailed else
                                      f"{site}：{what}，没有账号留有电子邮箱，未发送")
            except Exception:
                failed.append(site)
                self.stderr.write(f"{site}：提醒失败\n{traceback.format_exc()}")
            finally:
                connection.set_schema_to_public()
        self.stdout.write(f"{reminded} 个站点有尚未发布的年度报告")
        if failed:
            raise CommandError(f"{len(failed)} 个站点提醒失败：" + "、".join(str(s) for s in failed))
