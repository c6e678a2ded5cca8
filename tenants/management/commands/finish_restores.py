"""Finish what restores that died on the way left: files moved in, or staging folders removed."""

from django.core.management.base import BaseCommand

from tenants import actions, audit


class Command(BaseCommand):
    help = "完成中断的站点恢复：已提交的恢复移入其文件，未提交的恢复清除其临时文件夹（正在进行的恢复不受影响）"

    def handle(self, *args, **options):
        finished, removed = actions.finish_interrupted_restores(source=audit.cli_source())
        if finished or removed or options["verbosity"] > 1:
            self.stdout.write(f"已完成 {finished} 个中断的恢复，清除 {removed} 个临时文件夹")
