"""Deliver distributed items to the sites below (syndication.sync): a long-running worker, or one pass.

The worker LISTENs on PostgreSQL for the NOTIFY each distribution change sends when it
commits, and catches up every running site that is behind; it also wakes every
SYNDICATION_POLL_SECONDS in case a notification was missed (the worker was restarting).
`--once` makes one pass and exits (the backstop timer, and after a restore). Stopping it
at any moment is safe: each site is caught up in one transaction.
"""

import time

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from syndication import sync


def _listen_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None, port=db.get("PORT") or None, autocommit=True,
        application_name="govsites-syndication-worker",
    )


class Command(BaseCommand):
    help = "把上级分发的信息送达各下级站点（常驻进程；--once 只处理一轮）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理一轮待送达的信息后退出")

    def handle(self, *args, **options):
        if options["once"]:
            totals = self._pass()
            if totals["failed"]:
                raise CommandError(f"{totals['failed']} 条信息送达失败，详见日志；下一轮会重试")
            return
        poll = getattr(settings, "SYNDICATION_POLL_SECONDS", 60)
        listener = _listen_connection()
        listener.execute(f"LISTEN {sync.CHANNEL}")
        self.stdout.write(f"上级信息分发进程已启动，监听 {sync.CHANNEL}", ending="\n")
        self.stdout.flush()
        while True:
            self._pass()
            # Block until a NOTIFY (or the poll interval); several at once are one wake-up.
            for _ in listener.notifies(timeout=poll, stop_after=1):
                pass

    def _pass(self):
        close_old_connections()
        started = time.monotonic()

        def report(site, applied, failed):
            note = f"，{failed} 条失败" if failed else ""
            self.stdout.write(f"{site.name}（{site.region_code}）：送达 {applied} 条{note}")

        totals = sync.catch_up_all(progress=report, threads=settings.SYNDICATION_WORKER_THREADS)
        if totals["sites"]:
            self.stdout.write(
                f"本轮处理 {totals['sites']} 个站点，送达 {totals['applied']} 条，失败 {totals['failed']} 条，"
                f"用时 {time.monotonic() - started:.2f} 秒"
            )
            self.stdout.flush()
        return totals
