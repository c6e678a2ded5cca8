"""A reason for a back-dated 发布日期 (policies.backdating) is audited when it goes out with the document,
as the confirmation of a doubtful 错敏词 hit is: who wrote it (the revision's author), the two dates
and the words. A reason published again unchanged is not a new row."""

from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from tenants import audit
from tenants.models import AuditAction, AuditEvent, current_site

from .backdating import TOLERANCE_DAYS, days_early, first_publication
from .models import PolicyDocumentPage


@receiver(page_published, sender=PolicyDocumentPage, dispatch_uid="policies.backdate_reason")
def _reason_published(sender, instance, revision=None, **kwargs):
    reason = instance.backdate_reason.strip()
    site = current_site()
    if not reason or site is None or days_early(instance) <= TOLERANCE_DAYS:
        return
    last = (AuditEvent.objects.filter(site=site, action=AuditAction.EXPLAIN_BACKDATE, detail__page=instance.pk)
            .order_by("-created_at", "-pk").first())
    if last is not None and last.detail.get("reason") == reason:
        return
    author = revision.user if revision is not None and revision.user_id else None
    audit.record_here(AuditAction.EXPLAIN_BACKDATE, user=author or "system", page=instance.pk, title=instance.title,
                      published_date=instance.published_date.isoformat(),
                      first_published=timezone.localdate(first_publication(instance)).isoformat(), reason=reason)
