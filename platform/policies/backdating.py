"""倒签: a policy document whose 发布日期 is earlier than its real first publication on the site.

The inspection counts a back-dated post as false content, one of the serious errors (a single-item
veto). The 发布日期 is the only publication date an editor sets (every other page shows Wagtail's
`first_published_at`, which only publishing sets), so it is compared with that: more than
TOLERANCE_DAYS earlier, in local (Asia/Shanghai) days, is back-dating unless the editor wrote why
(`backdate_reason`, e.g. the paper document was issued that day).

Content that keeps its history keeps its `first_published_at` (a township folded into its county, a
restored site, the demo), so it is judged against its real first publication. Items pushed down
from a site above are 转载 pages, which show the source's date and have no date of their own.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DateField, ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from columns.models import path_on_site

from .models import PolicyDocumentPage

TOLERANCE_DAYS = 1


def first_publication(page, now=None):
    """When `page` first went out, or will if published now: its first publication, else the scheduled
    time still ahead (go_live_at), else now."""
    now = now or timezone.now()
    if page.first_published_at is not None:
        return page.first_published_at
    if page.go_live_at is not None and page.go_live_at > now:
        return page.go_live_at
    return now


def days_early(page, now=None):
    """Local days between the 发布日期 and the first publication (0 when not earlier, or no date)."""
    if page.published_date is None:
        return 0
    return max(0, (timezone.localdate(first_publication(page, now)) - page.published_date).days)


def is_backdated(page, now=None):
    """Dated more than the tolerance before it went out, with no reason written."""
    return days_early(page, now) > TOLERANCE_DAYS and not page.backdate_reason.strip()


def backdated_documents():
    """The live policy documents of the current site that are back-dated with no reason written."""
    first_day = TruncDate("first_published_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    latest_allowed = ExpressionWrapper(F("published_date") + timedelta(days=TOLERANCE_DAYS), output_field=DateField())
    return (PolicyDocumentPage.objects.live().filter(published_date__isnull=False, first_published_at__isnull=False)
            .annotate(first_day=first_day).filter(first_day__gt=latest_allowed, backdate_reason__regex=r"^\s*$"))


def note(page):
    first_day = timezone.localdate(first_publication(page))
    return (f"倒签：发布日期 {page.published_date:%Y-%m-%d} 比实际发布 {first_day:%Y-%m-%d} 早 "
            f"{(first_day - page.published_date).days} 天，未说明原因")


def drill_down(base, limit=200):
    """(how many, the first `limit` as the indicators' detail rows), newest first."""
    documents = backdated_documents().order_by("-first_published_at", "-pk")
    rows = list(documents[:limit])
    count = documents.count() if len(rows) == limit else len(rows)
    return count, [{"title": page.title, "url": base + path_on_site(page.url_path),
                    "admin_url": f"{base}/admin/pages/{page.pk}/edit/", "note": note(page)} for page in rows]
