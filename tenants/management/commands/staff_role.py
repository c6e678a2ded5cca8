"""Give a platform staff account its role: 平台管理员, 运维人员 or 监督员 (tenants.staff_roles)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import actions, audit, staff_roles


class Command(BaseCommand):
    help = "设置平台工作人员的角色（平台管理员、运维人员、监督员）"

    def add_arguments(self, parser):
        parser.add_argument("username", help="平台账号（不是站点账号）")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--role", choices=staff_roles.ROLES, help="角色")
        which.add_argument("--clear", action="store_true", help="取消角色（账号变为只读）")

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
