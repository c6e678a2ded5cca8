"""Check the audit trail's hash chain end to end (tenants.audit_chain); exit 1 at the first break. Each run is
recorded in the trail, so the console's 安全 page shows when the chain last held."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tenants import audit, audit_chain
from tenants.models import AuditAction


class Command(BaseCommand):
    help = "校验审计记录的校验链：逐条重算，指出第一处被改动或删除的记录"

    def handle(self, *args, **options):
        result = audit_chain.verify()
        # Each run is itself a row (the console's 安全 page shows the last), the broken one too.
        audit.record(AuditAction.VERIFY_AUDIT, acting_user=None, source=audit.cli_source(), ok=result.ok,
                     checked=result.checked, unsealed=result.unsealed,
                     broken_at=result.broken_at.chain_seq if result.broken_at else None)
        if not result.ok:
            event = result.broken_at
            raise CommandError(
                f"审计记录校验失败：封存序号 {event.chain_seq}（记录编号 {event.pk}，"
                f"{timezone.localtime(event.created_at):%Y-%m-%d %H:%M:%S}，{event.actor_label} {event.action}）："
                f"{result.problem}。此前 {result.checked} 条完好。"
            )
        self.stdout.write(f"审计记录完好：{result.checked} 条已封存的记录逐条校验一致，{result.unsealed} 条等待封存")
