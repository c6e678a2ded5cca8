"""Close this site's applications whose 补正 period passed with nothing received (Art. 30).

Runs in one site's schema, chosen at the edge: the daily timer runs
`for_each_site --include-suspended lapse_applications` (a suspended site's applications still run
their legal clock). Each closed application gets its history entry and an audit row.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from disclosure.actions import lapse_overdue_completions


class Command(BaseCommand):
    help = ("将补正期限已过、未收到补正的政府信息公开申请按“视为放弃申请”办结"
            "（在站点中运行：for_each_site lapse_applications）")

    def handle(self, *args, **options):
        if connection.schema_name == get_public_schema_name():
            raise CommandError("请在站点中运行：manage.py for_each_site lapse_applications")
        with transaction.atomic():
            closed = lapse_overdue_completions()
        if closed:
            self.stdout.write(f"{connection.schema_name}：{len(closed)} 件申请逾期未补正，已办结：" + "、".join(closed))
