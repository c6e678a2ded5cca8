"""Back sites up (all of them, or some): a thin wrapper around tenants.actions.backup_sites.

Run by the backup timer (deploy/systemd) with --scheduled, which also keeps only the
newest SITE_BACKUP_KEEP scheduled backups per site. One site's failure is reported and
the others go on; the exit status says whether any failed.
"""

from django.conf import settings
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
        sites = list(sites)
        with tqdm(total=len(sites), desc="备份站点", unit="站", disable=None) as bar:
            def progress(step, *, done=None, total=None):
                bar.n = done or 0
                bar.refresh()

            backups, failures = actions.backup_sites(
                sites, acting_user=None, source=source, trigger=trigger, progress=progress
            )
        for site, why in failures:
            self.stderr.write(f"{site}：备份失败：{why}")
        if options["scheduled"]:
            for backup in backups:
                self._prune(backup.site)
        self.stdout.write(f"已备份 {len(backups)} 个站点，共 {sum(b.size for b in backups) / 1e6:.1f} MB")
        if failures:
            raise CommandError(f"{len(failures)} 个站点备份失败：" + "、".join(str(site) for site, _ in failures))

    def _prune(self, site):
        old = SiteBackup.objects.filter(site=site, trigger=SiteBackup.Trigger.SCHEDULED).order_by("-created_at")[
            settings.SITE_BACKUP_KEEP:
        ]
        for backup in old:
            actions.delete_backup(backup, acting_user=None, source=audit.cli_source())
