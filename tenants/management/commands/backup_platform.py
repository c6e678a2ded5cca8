"""Dump the public schema and copy it off the machine: a thin wrapper around tenants.platform_backup."""

from django.core.management.base import BaseCommand, CommandError

from tenants import audit, platform_backup


class Command(BaseCommand):
    help = "备份平台公共数据（站点登记、审计记录、资源库、统计）并复制到异地（PLATFORM_BACKUP_COPY）"

    def handle(self, *args, **options):
        try:
            backup = platform_backup.dump(source=audit.cli_source())
        except platform_backup.PlatformBackupError as exc:
            raise CommandError(str(exc)) from exc
        where = "，已复制到异地" if backup.copied else "（未设置 PLATFORM_BACKUP_COPY：只在本机）"
        self.stdout.write(f"已备份平台公共数据：{backup.path}，{backup.size / 1e6:.1f} MB{where}")
