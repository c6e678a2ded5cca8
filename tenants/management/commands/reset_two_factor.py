"""Remove a platform staff account's second factor (phone and recovery codes lost), e.g. of the only administrator."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import actions, audit


class Command(BaseCommand):
    help = "重置平台工作人员的两步验证（手机和恢复码都丢失时）：该账号下次登录时重新设置"

    def add_arguments(self, parser):
        parser.add_argument("username", help="平台账号（不是站点账号）")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"], is_staff=True).first()
        if user is None:
            raise CommandError(f"平台中没有工作人员账号 {options['username']}（站点编辑的账号只在各自站点中）")
        try:
            actions.reset_staff_two_factor(user, acting_user=None, source=audit.cli_source())
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已重置 {user.get_username()} 的两步验证：该账号下次登录时须重新设置")
