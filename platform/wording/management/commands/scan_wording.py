"""Re-scan every live item of every site against the 错敏词 lists: `scan_wording [--scheduled] [--site ...]`.

- without options: carry on with the pending run (a list changed, or an interrupted one), else start a
  new one; site by site with progress, a failing site reported and left for the next run;
- `--scheduled` (a timer every ten minutes): carry on with a pending run if there is one, else start
  the nightly run once a day after 01:00 (Beijing time);
- `--site 510104 ...`: just those sites, now, outside any run;
- `--workers N`: sites scanned N at a time, in processes of their own (default: one per CPU).
The exit status says whether any site failed.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from tenants.management.selection import only_these
from wording import scan
from wording.models import ScanRun

NIGHTLY_HOUR = 1


class Command(BaseCommand):
    help = "按全省错敏词表复查各站点已发布的全部内容（可断点续查）"

    def add_arguments(self, parser):
        parser.add_argument("--scheduled", action="store_true",
                            help="定时任务：有待复查则续查，否则每天凌晨 1 点后复查一次")
        parser.add_argument("--site", action="append", default=[], help="只复查这些区划代码的站点（可重复）")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                            help="同时复查的站点数（各用一个进程，默认每个 CPU 一个）")

    def handle(self, *args, **options):
        if options["workers"] < 1:
            raise CommandError("--workers 至少为 1")
        sites = scan.scanned_sites()
        if options["site"]:
            sites = only_these(sites, options["site"], what="运行中站点")
            run = ScanRun.objects.create(reason="指定站点复查")
        else:
            run = scan.pending_run()
            if run is None:
                if options["scheduled"] and not self._nightly_due():
                    return
                run = ScanRun.objects.create(reason="每日复查")
        sites = list(sites.prefetch_related("domains"))
        bar = tqdm(total=len(sites), desc="错敏词复查", unit="站", disable=None)
        failed = scan.run(run, sites, progress=lambda site: bar.update(1), workers=options["workers"],
                          report=lambda site, error: self.stderr.write(f"{site}：复查失败\n{error}"))
        bar.close()
        found = sum(s.findings for s in run.sites.all())
        self.stdout.write(f"已复查 {run.sites_done} / {len(sites)} 个站点，发现 {found} 处（{run.reason}）")
        if failed:
            raise CommandError(f"{len(failed)} 个站点复查失败，下次运行时续查：" + "、".join(str(s) for s in failed))

    @staticmethod
    def _nightly_due():
        now = timezone.localtime()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return now.hour >= NIGHTLY_HOUR and not ScanRun.objects.filter(requested_at__gte=today,
                                                                         reason="每日复查").exists()
