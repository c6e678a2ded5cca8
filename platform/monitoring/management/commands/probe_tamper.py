"""网页防篡改: compare what each site's public address serves with what the platform renders
(monitoring/tamper.py); a timer runs it every 5 minutes. An incident is mailed and shown in the
console at once; the command fails only when it could not run.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from monitoring import tamper


class Command(BaseCommand):
    help = "防篡改监测：比对各站点公众收到的首页、栏目页和抽检稿件与平台发布的内容"

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只检测这些区划代码的站点（可重复）")

    def handle(self, *args, **options):
        sites = tamper.watched_sites()
        if options["site"]:
            sites = sites.filter(region_code__in=options["site"])
            missing = sorted(set(options["site"]) - set(sites.values_list("region_code", flat=True)))
            if missing:
                raise CommandError(f"没有运行中的站点：{'、'.join(missing)}")
        started = time.monotonic()

        def progress(site, outcomes):
            if "incident" in outcomes:
                self.stderr.write(f"{site}：发现页面与发布内容不一致，已记为篡改事件并通知")

        try:
            totals = tamper.run(list(sites), progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已检测 {sum(totals.values())} 个页面：一致 {totals['ok']}，过期缓存已刷新 {totals['stale']}，"
            f"篡改事件 {totals['incident']}，无法读取 {totals['unreadable']}；用时 {time.monotonic() - started:.1f} 秒"
        )
