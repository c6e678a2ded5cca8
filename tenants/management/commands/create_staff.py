"""Open a platform staff account from the command line, with its role: the first administrators of a new
platform (系统管理员, 安全管理员, 审计管理员: three people). Its password is printed once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import actions, audit, staff_roles


class Command(BaseCommand):
    help = "开设平台工作人员账号（可指定角色），初始密码只显示一次，首次登录时须修改"

    def add_arguments(self, parser):
        parser.add_argument("username", help="平台账号的用户名")
        parser.add_argument("--role", choices=staff_roles.ROLES,
                            help="角色（三员分立：系统、安全、审计管理员应为不同的人）")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--email", default="", help="电子邮件（接收登录锁定等通知）")

    def handle(self, *args, **options):
        try:
            password = actions.create_staff_account(
                options["username"], name=options["name"], email=options["email"], role=options["role"],
                acting_user=None, source=audit.cli_source(),
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已开设 {options['username']}（{options['role'] or '尚未分配角色'}），初始密码：{password}")
        self.stdout.write("首次登录时须修改密码并设置两步验证。")
