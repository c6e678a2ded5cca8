"""Run a management command in every site's schema, one site at a time.

Scheduled jobs use it (e.g. `for_each_site publish_scheduled`): a failure in one
site is reported and the others still run; the exit status is non-zero if any
site failed. The schema is switched here, at the edge, never inside the command.
"""

import traceback

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tenants.utils import schema_context
from tqdm import tqdm

from tenants.models import GovSite, SiteStatus


class Command(BaseCommand):
    help = "在每个站点中运行一个管理命令，例如：for_each_site publish_scheduled"

    def add_arguments(self, parser):
        parser.add_argument("command_name", help="要运行的命令")
        parser.add_argument("command_args", nargs="*", help="传给该命令的参数（以 -- 开头的参数请放在 -- 之后）")
        parser.add_argument("--site", action="append", default=[], help="只在这些区划代码的站点中运行（可重复）")
        parser.add_argument(
            "--include-suspended", action="store_true", help="也在已暂停的站点中运行（默认只运行在运行中的站点）"
        )

    def handle(self, *args, **options):
        sites = GovSite.objects.order_by("region_code")
        if options["site"]:
            sites = sites.filter(region_code__in=options["site"])
        statuses = [SiteStatus.ACTIVE] + ([SiteStatus.SUSPENDED] if options["include_suspended"] else [])
        sites = list(sites.filter(status__in=statuses))
        failures = []
        for site in tqdm(sites, desc=options["command_name"], unit="站", disable=None):
            try:
                with schema_context(site.schema_name):
                    call_command(options["command_name"], *options["command_args"], stdout=self.stdout)
            except Exception as exc:  # one site's failure must not stop the others
                failures.append(site)
                self.stderr.write(f"{site.name}（{site.schema_name}）失败：{exc}")
                if options["verbosity"] > 1:
                    self.stderr.write(traceback.format_exc())
            finally:
                connection.set_schema_to_public()
        self.stdout.write(f"{options['command_name']}：{len(sites) - len(failures)} 个站点成功，{len(failures)} 个失败")
        if failures:
            raise CommandError(f"{len(failures)} 个站点运行失败：{'、'.join(s.name for s in failures)}")
