"""Bring each receiving site in step with what was distributed to it.

The library says what each site should show (Delivery rows whose `applied_revision` is
behind their Distribution's `revision`); `catch_up(site)` applies it in the site's schema:
the first time, a 转载 page in the 上级信息 column (made then) or, for a reviewing site, an
entry in its inbox; later, the new title, or the page unpublished when the source withdrew
it. Each delivery is applied in its own savepoint: one that fails is recorded on its row
and retried next time, the others go on.

The worker (`manage.py syndication_worker`) waits for the NOTIFY that every distribution
change sends on commit and catches up every running site that is behind; suspended sites
are skipped and caught up when resumed (tenants.signals.site_status_changed); it also looks
every SYNDICATION_POLL_SECONDS in case a NOTIFY came while it was down. Pages render the
content from the library, so a withdrawal or a repeal is in every copy's next render when it
commits; catching up is what brings the lists, the search index and the edge in line.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.signals import page_published

from columns.models import ColumnPage, ColumnType, HomePage
from edge.purge import request_purge
from library.models import Delivery
from tenants.models import GovSite, SiteStatus, require_schema

from .models import AcceptMode, ReprintPage, ReprintSettings

logger = logging.getLogger(__name__)
CHANNEL = "govsites_syndication"
COLUMN_SLUG = "sjxx"
COLUMN_TITLE = "上级信息"
_local = threading.local()


def notify():
    """Wake the worker when the current transaction commits (PostgreSQL holds a NOTIFY until then)."""
    with connection.cursor() as cursor:
        cursor.execute(f"NOTIFY {CHANNEL}")


def applying():
    """True while this thread's changes to 转载 pages are syndication's own, not an editor's."""
    return getattr(_local, "applying", False)


class _Applying:
    def __enter__(self):
        self.previous, _local.applying = applying(), True

    def __exit__(self, *exc):
        _local.applying = self.previous


def behind(site_id=None):
    """Deliveries a site has not caught up with (declined ones never need anything)."""
    rows = Delivery.objects.filter(applied_revision__lt=F("distribution__revision")).exclude(
        state=Delivery.State.DECLINED)
    return rows if site_id is None else rows.filter(site_id=site_id)


def sites_behind():
    """Running sites with something to catch up with."""
    ids = behind().filter(site__status=SiteStatus.ACTIVE).values_list("site_id", flat=True).distinct()
    return list(GovSite.objects.filter(pk__in=ids).prefetch_related("domains").order_by("region_code"))


def reprint_column():
    """The site's 上级信息 column, made (mandated, in the menu) the first time the site receives something."""
    column = ColumnPage.objects.filter(column_type=ColumnType.REPRINT).order_by("depth", "path").first()
    if column is not None:
        return column
    home = HomePage.objects.order_by("path").first()
    return home.add_child(instance=ColumnPage(
        title=COLUMN_TITLE, slug=COLUMN_SLUG, column_type=ColumnType.REPRINT, is_mandated=True, show_in_menus=True,
        description="上级政府网站分发的信息，随原文更新、撤回和废止。",
    ))


def _show(page, distribution, column=None):
    """Make the copy live under the distribution's title in one write, then announce it as a publish.

    Without a revision: nobody edits a copy, and Wagtail's add/revise/publish would write the
    page three times. `page_published` is what keeps the search index, the edge and the
    indicators in step (their handlers need only the page), so it is sent as Wagtail would.
    """
    now = timezone.now()
    if column is not None:
        page = column.add_child(instance=ReprintPage(
            title=distribution.title, draft_title=distribution.title, slug=f"d{distribution.pk}",
            distribution_id=distribution.pk, live=True, first_published_at=now, last_published_at=now))
    else:
        ReprintPage.objects.filter(pk=page.pk).update(
            title=distribution.title, draft_title=distribution.title, live=True, has_unpublished_changes=False,
            last_published_at=now)
        page = ReprintPage.objects.get(pk=page.pk)
    with _Applying():
        page_published.send(sender=ReprintPage, instance=page, revision=None)
    return page


def take_down(delivery):
    """Unpublish the site's copy of `delivery`, if it shows one."""
    page = ReprintPage.objects.filter(distribution_id=delivery.distribution_id, live=True).first()
    if page is not None:
        with _Applying():
            page.unpublish(log_action=False)
        request_purge(delivery.site)


def apply(delivery, site):
    """Apply one delivery in the current (receiving) schema; returns True if the public site changed."""
    distribution = delivery.distribution
    changed = False
    if delivery.state == Delivery.State.NEW and not distribution.is_withdrawn:
        if ReprintSettings.load().accept_mode == AcceptMode.REVIEW:
            delivery.state = Delivery.State.PENDING
        else:
            delivery.state = Delivery.State.ACCEPTED
            delivery.decided_by = "自动接收"
    if delivery.state == Delivery.State.ACCEPTED:
        page = ReprintPage.objects.filter(distribution_id=distribution.pk).first()
        if distribution.is_withdrawn:
            if page is not None and page.live:
                take_down(delivery)
                changed = True
        elif page is None:
            page = _show(None, distribution, column=reprint_column())
            changed = True
        elif page.title != distribution.title or not page.live:
            page = _show(page, distribution)
            changed = True
        else:
            # Same title, new revision: the body, a repeal or the attachments changed. The page reads
            # them from the library, but the edge still holds it as it was rendered.
            changed = True
        if page is not None:
            delivery.page_id = page.pk
            delivery.delivered_at = delivery.delivered_at or timezone.now()
    delivery.applied_revision = distribution.revision
    delivery.last_error = ""
    delivery.save()
    if changed:
        request_purge(site)
    return changed


def catch_up(site):
    """Apply everything `site` is behind on, in its schema (the caller switched); returns (applied, failed).

    Rows are locked with SKIP LOCKED: two workers never apply the same delivery twice, and a
    site an editor is accepting into right now is left to the next pass.
    """
    require_schema(site)
    applied = failed = 0
    with transaction.atomic():
        rows = list(behind(site.pk).select_for_update(skip_locked=True, of=("self",)).select_related("distribution"))
        for delivery in rows:
            try:
                with transaction.atomic():
                    apply(delivery, site)
                applied += 1
            except Exception as exc:  # one bad item must not hold back the others
                logger.exception("syndication: delivery %s to %s failed", delivery.pk, site.schema_name)
                Delivery.objects.filter(pk=delivery.pk).update(last_error=f"{exc.__class__.__name__}: {exc}"[:2000])
                failed += 1
    return applied, failed


def _catch_up_one(site, own_connection):
    try:
        with schema_context(site.schema_name):
            return catch_up(site)
    except Exception:
        logger.exception("syndication: catching up %s failed", site.schema_name)
        return 0, 1
    finally:
        if own_connection:  # a pool thread's connection: not left open between passes
            connection.close()


def catch_up_all(progress=None, threads=1):
    """One pass over every running site that is behind, each in its own schema; a failing site never stops the rest.

    `threads` > 1 catches up that many sites at once, each thread on its own database connection
    (the worker: SYNDICATION_WORKER_THREADS); 1 runs in the caller's connection and transaction.
    """
    totals = {"sites": 0, "applied": 0, "failed": 0}
    sites = sites_behind()

    def count(site, result):
        applied, failed = result
        totals["sites"] += 1
        totals["applied"] += applied
        totals["failed"] += failed
        if progress:
            progress(site, applied, failed)

    if threads <= 1 or len(sites) <= 1:
        for site in sites:
            count(site, _catch_up_one(site, own_connection=False))
        return totals
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="syndication") as pool:
        for site, result in zip(sites, pool.map(lambda site: _catch_up_one(site, True), sites), strict=True):
            count(site, result)
    return totals
