"""Break-glass: give a console account a role for a short time, when the one person who holds it cannot act.

The superuser flag gives no role on the console (三员分立); this is the documented way round it,
run by the host's operator, audited with its reason, and over by itself after --minutes.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tenants import actions, audit, staff_roles
from tenants.actions.staff import BREAK_GLASS_MAX_MINUTES


class Command(BaseCommand):
    help = "紧急授权：临时给予平台工作人员某个角色（记入审计记录，到期自动失效）；--end 提前结束"

    def add_arguments(self, parser):
        parser.add_argument("username", help="平台账号（不是站点账号）")
        parser.add_argument("--role", choices=staff_roles.ROLES, help="临时角色")
        parser.add_argument("--reason", default="", help="原因（必填，记入审计记录）")
        parser.add_argument("--minutes", type=int, default=60,
                            help=f"时长，分钟（默认 60，最多 {BREAK_GLASS_MAX_MINUTES}）")
        parser.add_argument("--end", action="store_true", help="提前结束该账号的紧急授权")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"], is_staff=True).first()
        if user is None:
            raise CommandError(f"平台中没有工作人员账号 {options['username']}（站点编辑的账号只在各自站点中）")
        try:
            if options["end"]:
                actions.end_break_glass(user, acting_user=None, source=audit.cli_source())
                self.stdout.write(f"已结束 {user.get_username()} 的紧急授权")
                return
            if not options["role"]:
                raise CommandError("请用 --role 指定临时角色")
            grant = actions.break_glass(user, options["role"], reason=options["reason"], minutes=options["minutes"],
                                        acting_user=None, source=audit.cli_source())
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        ends = timezone.localtime(grant.ends_at)
        self.stdout.write(f"{user.get_username()} 临时成为{grant.role}，至 {ends:%Y-%m-%d %H:%M}（已记入审计记录）")
