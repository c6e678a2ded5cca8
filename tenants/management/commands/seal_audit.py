"""Seal the audit trail's new rows into its hash chain (tenants.audit_chain); run every minute."""

from django.core.management.base import BaseCommand

from tenants import audit_chain


class Command(BaseCommand):
    help = "把新的审计记录封存进校验链（每分钟运行）"

    def handle(self, *args, **options):
        sealed = audit_chain.seal()
        if sealed or options["verbosity"] > 1:
            self.stdout.write(f"已封存 {sealed} 条审计记录")
