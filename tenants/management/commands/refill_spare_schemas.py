"""Clone the template ahead of time so the next provisionings only rename a spare schema.

Run by a timer in production and at the end of `make run`'s demo set-up; a thin
wrapper around tenants.provisioning.spares.refill.
"""

from django.core.management.base import BaseCommand, CommandError

from tenants.provisioning import spares, template


class Command(BaseCommand):
    help = "补充备用模式（预先复制的站点模板），使开设站点只需重命名一个模式"

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=None, help="备用模式的目标数量（默认取设置 SITE_SPARE_SCHEMAS）"
        )

    def handle(self, *args, **options):
        count = options["count"]
        if count is not None and not 0 <= count <= 100:
            raise CommandError("--count 应在 0 到 100 之间")
        try:
            spares.refill(count, stdout=self.stdout)
        except template.TemplateError as exc:
            raise CommandError(str(exc)) from exc
