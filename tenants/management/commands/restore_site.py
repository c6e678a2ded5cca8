"""Restore a site from one of its backups, over itself or as a new site (tenants.actions.restore_*)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants import actions, audit
from tenants.models import GovSite, SiteBackup


class Command(BaseCommand):
    help = (
        "从备份恢复站点。默认覆盖该备份所属站点（先自动备份当前状态）；--as-new 恢复为新站点。"
        "备份编号见控制台“备份”页或 backup_sites 的输出"
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=int, help="备份编号")
        parser.add_argument("--no-safety-backup", action="store_true", help="覆盖前不先备份当前状态")
        parser.add_argument("--accounts-from-backup", action="store_true",
                            help="账号与备份时完全一致（默认保留账号的当前状态：停用、重置的密码）")
        parser.add_argument("--as-new", action="store_true", help="恢复为新站点（需要下列参数）")
        parser.add_argument("--name")
        parser.add_argument("--parent", help="上级站点的区划代码")
        parser.add_argument("--region-code")
        parser.add_argument("--site-code")
        parser.add_argument("--domain", action="append", default=[], help="域名，可重复；第一个为主域名")

    def handle(self, *args, **options):
        backup = SiteBackup.objects.select_related("site").filter(pk=options["backup"]).first()
        if backup is None:
            raise CommandError(f"没有编号为 {options['backup']} 的备份")
        try:
            if options["as_new"]:
                missing = [f"--{k.replace('_', '-')}" for k in ("name", "region_code", "site_code") if not options[k]]
                if missing:
                    raise CommandError("恢复为新站点还需要：" + " ".join(missing))
                parent = None
                if options["parent"]:
                    parent = GovSite.objects.filter(region_code=options["parent"].strip()).first()
                    if parent is None:
                        raise CommandError(f"找不到区划代码为 {options['parent']} 的上级站点")
                site = actions.restore_as_new_site(
                    backup, name=options["name"], parent=parent, region_code=options["region_code"],
                    site_code=options["site_code"], domains=options["domain"], acting_user=None,
                    source=audit.cli_source(),
                )
            else:
                site = actions.restore_backup(
                    backup, acting_user=None, source=audit.cli_source(), safety_backup=not options["no_safety_backup"],
                    keep_accounts=not options["accounts_from_backup"],
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已恢复 {site.display_name}：{site.base_url()}/"))
