"""Remove audit rows older than their retention (AUDIT_RETENTION_DAYS, at least 180), recorded in the trail."""

from django.core.management.base import BaseCommand

from tenants import audit, audit_chain


class Command(BaseCommand):
    help = "清理超过保留期的审计记录（至少保留 180 天；清理本身记入审计）"

    def handle(self, *args, **options):
        removed = audit_chain.prune(source=audit.cli_source())
        self.stdout.write(f"已清理 {removed} 条超过 {audit_chain.retention_days()} 天的审计记录")
