"""Generate (or refresh) every site's annual report drafts for a year:
`generate_annual_reports [--year 2026] [--kind website|disclosure]`.

Without --year, the year just ended (a timer runs it early in January, ahead of the 31 January deadline);
without --kind, both reports: the 政府网站工作年度报表 and the 政府信息公开工作年度报告.

Each site in turn, in its own schema; a site that fails is reported and the others go on; the
exit status says whether any failed. Drafts only: each report is published by its site's editors.
"""

import traceback

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from reports.actions import ReportError, generate_annual_report, generate_disclosure_report
from reports.figures import check_year
from tenants.management.selection import only_these
from tenants.models import GovSite, SiteStatus

# Archived sites are frozen and folded ones are gone; a suspended site still owes its report.
REPORTING = (SiteStatus.ACTIVE, SiteStatus.SUSPENDED)
KINDS = {"website": generate_annual_report, "disclosure": generate_disclosure_report}


class Command(BaseCommand):
    help = "生成各站点的政府网站工作年度报表草稿（已有草稿则按数据更新，保留编辑修改过的数字）"

    def add_arguments(self, parser):
        # The report is due 31 January for the year just ended: that year by default (the January timer).
        parser.add_argument("--year", type=int, help="统计年度，例如 2026；默认为上一年度")
        parser.add_argument("--kind", choices=sorted(KINDS), action="append", default=[],
                            help="只生成这类报告（website 网站年度报表，disclosure 政府信息公开年报）；默认两类都生成")
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
        kinds = [KINDS[name] for name in sorted(set(options["kind"]))] or list(KINDS.values())
        failed = []
        for number, site in enumerate(sites, 1):
            prefix = f"[{number}/{len(sites)}] {site}"
            ok = True
            for generate in kinds:
                try:
                    with tenant_context(site):
                        result = generate(site, year, overwrite_edits=options["overwrite_edits"])
                    self.stdout.write(f"{prefix}：{result.summary()}")
                except ReportError as exc:
                    ok = False
                    self.stderr.write(f"{prefix}：未生成，{exc}")
                except Exception:
                    ok = False
                    self.stderr.write(f"{prefix}：生成失败\n{traceback.format_exc()}")
                finally:
                    connection.set_schema_to_public()
            if not ok:
                failed.append(site)
        self.stdout.write(f"已生成 {len(sites) - len(failed)} 个站点的 {year} 年度报告草稿（{len(kinds)} 类）")
        if failed:
            raise CommandError(f"{len(failed)} 个站点生成失败：" + "、".join(str(s) for s in failed))
