"""Finish what operations that died on the way left: a restore's files moved in or its staging removed,
and the jobs whose worker died marked interrupted. The job worker runs it before it starts
(deploy/systemd/govsites-jobs.service), and its timer every minute."""

from django.core.management.base import BaseCommand

from tenants import actions, audit, jobs


class Command(BaseCommand):
    help = (
        "完成中断的站点恢复：已提交的恢复移入其文件，未提交的恢复清除其临时文件夹（正在进行的恢复不受影响）；"
        "作业进程已停止的后台操作标记为“已中断”"
    )

    def handle(self, *args, **options):
        finished, removed = actions.finish_interrupted_restores(source=audit.cli_source())
        settled = jobs.settle_interrupted()
        if finished or removed or options["verbosity"] > 1:
            self.stdout.write(f"已完成 {finished} 个中断的恢复，清除 {removed} 个临时文件夹")
        if settled:
            self.stdout.write(f"{settled} 项后台操作因作业进程停止而中断")
