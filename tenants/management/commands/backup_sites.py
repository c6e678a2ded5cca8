"""Back sites up (all of them, or some): a thin wrapper around tenants.actions.backup_site.

Run by the backup timer (deploy/systemd) with --scheduled, which also keeps only the
newest SITE_BACKUP_KEEP scheduled backups per site. One site's failure is reported and
the others go on; the exit status says whether any failed.
"""

import traceback

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tenants import actions, audit
from tenants.management.selection import only_these
from tenants.models import GovSite, SiteBackup


class Command(BaseCommand):
    help = "备份站点（数据库模式和文件）；默认全部站点，--site 指定区划代码"

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只备份这些区划代码的站点（可重复）")
        parser.add_argument(
            "--scheduled", action="store_true",
            help=f"定时备份：记为“定时”，并只保留每个站点最新的 {settings.SITE_BACKUP_KEEP} 份定时备份",
        )

    def handle(self, *args, **options):
        sites = GovSite.objects.select_related("parent").prefetch_related("domains").order_by("region_code")
        if options["site"]:
            sites = only_these(sites, options["site"])
        trigger = SiteBackup.Trigger.SCHEDULED if options["scheduled"] else SiteBackup.Trigger.MANUAL
        source = audit.cli_source()
        failed = []
        total = 0
        for site in tqdm(list(sites), desc="备份站点", unit="站", disable=None):
            try:
                backup = actions.backup_site(site, acting_user=None, source=source, trigger=trigger)
            except ValidationError as exc:
                failed.append(site)
                self.stderr.write(f"{site}：备份失败：{'；'.join(exc.messages)}")
                continue
            except Exception:
                failed.append(site)
                self.stderr.write(f"{site}：备份失败\n{traceback.format_exc()}")
                continue
            total += backup.size
            if options["scheduled"]:
                self._prune(site)
        done = len(sites) - len(failed)
        self.stdout.write(f"已备份 {done} 个站点，共 {total / 1e6:.1f} MB")
        if failed:
            raise CommandError(f"{len(failed)} 个站点备份失败：" + "、".join(str(s) for s in failed))

    def _prune(self, site):
        old = SiteBackup.objects.filter(site=site, trigger=SiteBackup.Trigger.SCHEDULED).order_by("-created_at")[
            settings.SITE_BACKUP_KEEP:
        ]
        for backup in old:
            actions.delete_backup(backup, acting_user=None, source=audit.cli_source())
