"""Count every site's accounts, database size and files for the console's overview (tenants.site_stats)."""

from django.core.management.base import BaseCommand

from tenants import site_stats


class Command(BaseCommand):
    help = "统计各站点的账号数、数据库大小和文件大小（控制台站点列表显示）"

    def handle(self, *args, **options):
        count = site_stats.refresh()
        self.stdout.write(f"已统计 {count} 个站点")
