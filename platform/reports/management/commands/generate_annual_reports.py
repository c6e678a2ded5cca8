"""Generate (or refresh) every site's annual report draft for a year: `generate_annual_reports [--year 2026]`.

Without --year, the year just ended (a timer runs it early in January, ahead of the 31 January deadline).

Each site in turn, in its own schema; a site that fails is reported and the others go on; the
exit status says whether any failed. Drafts only: each report is published by its site's editors.
"""

import traceback

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from reports.actions import ReportError, generate_annual_report
from reports.figures import check_year
from tenants.management.selection import only_these
from tenants.models import GovSite, SiteStatus

# Archived sites are frozen and folded ones are gone; a suspended site still owes its report.
REPORTING = (SiteStatus.ACTIVE, SiteStatus.SUSPENDED)


class Command(BaseCommand):
    help = "生成各站点的政府网站工作年度报表草稿（已有草稿则按数据更新，保留编辑修改过的数字）"

    def add_arguments(self, parser):
        # The report is due 31 January for the year just ended: that year by default (the January timer).
        parser.add_argument("--year", type=int, help="统计年度，例如 2026；默认为上一年度")
        parser.add_argument("--site", action="append", default=[], help="只生成这些区划代码的站点（可重复）")
        parser.add_argument(
            "--overwrite-edits", action="store_true", help="统计数字即使被编辑修改过，也以数据重新覆盖",
        )

    def handle(self, *args, **options):
        try:
            year = check_year(options["year"] or timezone.localdate().year - 1)
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        sites = GovSite.objects.filter(status__in=REPORTING).prefetch_related("domains").order_by("region_code")
        if options["site"]:
            sites = only_these(sites, options["site"], what="运行中站点")
        sites = list(sites)
        failed = []
        for number, site in enumerate(sites, 1):
            prefix = f"[{number}/{len(sites)}] {site}"
            try:
                with tenant_context(site):
                    result = generate_annual_report(site, year, overwrite_edits=options["overwrite_edits"])
                self.stdout.write(f"{prefix}：{result.summary()}")
            except ReportError as exc:
                failed.append(site)
                self.stderr.write(f"{prefix}：未生成，{exc}")
            except Exception:
                failed.append(site)
                self.stderr.write(f"{prefix}：生成失败\n{traceback.format_exc()}")
            finally:
                connection.set_schema_to_public()
        self.stdout.write(f"已生成 {len(sites) - len(failed)} 个站点的 {year} 年度报表草稿")
        if failed:
            raise CommandError(f"{len(failed)} 个站点生成失败：" + "、".join(str(s) for s in failed))
