"""Hand the audit trail to its own database role; the application keeps reading and adding rows only.

Run once by the database administrator (as a PostgreSQL superuser) after the first migrate; see
tenants/audit_privileges.py and deploy/README.md.
"""

from django.core.management.base import BaseCommand, CommandError

from tenants import audit_privileges


class Command(BaseCommand):
    help = "把审计表交给单独的数据库角色所有；应用的角色只能读取和新增审计记录（须以数据库超级用户运行）"

    def add_arguments(self, parser):
        parser.add_argument("--owner", required=True, help="审计表的所有者角色（如 govsites_audit），清理任务以它运行")
        parser.add_argument("--app-role", required=True, help="应用连接数据库所用的角色（如 govsites）")

    def handle(self, *args, **options):
        try:
            audit_privileges.secure(options["owner"], options["app_role"])
        except audit_privileges.NotAllowed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"审计表现归 {options['owner']} 所有；{options['app_role']} 只能读取和新增审计记录")
