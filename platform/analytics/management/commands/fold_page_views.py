"""Add the page views the beacon took to the daily counters (a timer runs it every minute).

Readers fold what they read anyway (analytics.stats); this keeps the pending table small.
"""

from django.core.management.base import BaseCommand

from analytics.counting import fold


class Command(BaseCommand):
    help = "将新记录的页面访问计入每日访问量（每分钟由定时任务运行）"

    def handle(self, *args, **options):
        batches = fold()
        self.stdout.write(f"已计入 {batches} 批访问记录")
