"""Give a platform staff account its role (tenants.staff_roles) from the command line: the host's operator, as at
the first setup or when no security administrator can sign in; audited."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import actions, audit, staff_roles


class Command(BaseCommand):
    help = "设置平台工作人员的角色（系统管理员、安全管理员、审计管理员、运维人员、监督员）"

    def add_arguments(self, parser):
        parser.add_argument("username", help="平台账号（不是站点账号）")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--role", choices=staff_roles.ROLES, help="角色")
        which.add_argument("--clear", action="store_true", help="取消角色（账号不能再使用控制台）")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"平台中没有账号 {options['username']}（站点编辑的账号只在各自站点中）")
        try:
            actions.set_staff_role(
                user, None if options["clear"] else options["role"], acting_user=None, source=audit.cli_source()
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"{user.get_username()} 现在是{staff_roles.role_of(user) or '非工作人员'}")
