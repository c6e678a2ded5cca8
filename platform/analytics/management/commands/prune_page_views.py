"""Drop per-page view counters older than ANALYTICS_PAGE_DAYS (a timer runs it daily).

The per-site daily totals are kept: they are one row per site and day, and the year's total
is one of the annual report's figures.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from analytics.models import PageViewDay


class Command(BaseCommand):
    help = "删除超过保留期的页面访问计数（站点每日合计保留）"

    def handle(self, *args, **options):
        keep = settings.ANALYTICS_PAGE_DAYS
        before = timezone.localdate() - datetime.timedelta(days=keep)
        deleted, _ = PageViewDay.objects.filter(day__lt=before).delete()
        self.stdout.write(f"已删除 {before:%Y-%m-%d} 之前的 {deleted} 条页面访问计数（保留 {keep} 天）")
