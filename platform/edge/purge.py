"""Clear a site's pages at the edge after a change commits; retry what fails, never block publishing.

`request_purge(site)` is called wherever a site's public pages change (a publish,
an unpublish, a move, a section made private, a mailbox reply published or
withdrawn, a site suspended or resumed). Requests made in one transaction are
batched and sent once, after commit: purging before commit would let a visitor's
request put the old page back in the cache before the new one is visible.

The backends are Wagtail's front-end cache backends, configured by
WAGTAILFRONTENDCACHE (edge.backends.HostBanBackend for Varnish). A failure is
logged and recorded as a PendingPurge row; `manage.py retry_edge_purges` (a
timer, every minute) retries it. Nothing here raises into the caller.
"""

import logging
import threading
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.frontend_cache.utils import get_backends

from .backends import PurgeFailed
from .models import PendingPurge, PurgeMark

logger = logging.getLogger(__name__)
_local = threading.local()
RETRY_BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1)]


def request_purge(site, paths=()):
    """Purge `site`'s pages at the edge once the current transaction commits (at once outside one)."""
    if site is None or not settings.WAGTAILFRONTENDCACHE:
        return
    base = site.base_url()  # the primary domain; aliases answer 301 and are never cached
    if base is None:
        return
    _queue({f"{base}/"} | {f"{base}{path}" for path in paths})


def request_host_purge(hosts, *, again_after=None):
    """Purge every page of `hosts` after commit (a site suspended, resumed, its domains changed).

    `again_after` (seconds): purge once more then, by the retry job. For routing changes:
    other workers trust their cached host → site answer until their next check of the route
    generation (TENANT_ROUTE_CACHE_SECONDS) and may put a page of the old state back in the
    edge meanwhile.
    """
    if not hosts or not settings.WAGTAILFRONTENDCACHE:
        return
    _queue({f"{settings.PLATFORM_SITE_SCHEME}://{host}/" for host in hosts})
    if again_after is not None:
        # robust: a failure after commit is logged, never raised into the request that committed.
        transaction.on_commit(
            lambda: schedule(hosts, at=timezone.now() + timedelta(seconds=again_after)), robust=True
        )


def schedule(hosts, *, at):
    """Purge `hosts` again at `at` (the retry job sends it); an earlier time already set is kept."""
    for host in hosts:
        pending, created = PendingPurge.objects.get_or_create(host=host, defaults={"next_attempt_at": at})
        if not created and pending.next_attempt_at > at:
            PendingPurge.objects.filter(pk=pending.pk).update(next_attempt_at=at)


def _queue(urls):
    batch = getattr(_local, "batch", None)
    if batch is not None and _registered(batch):
        batch.urls |= urls
        return
    batch = _local.batch = _Batch(urls)
    transaction.on_commit(batch, robust=True)  # outside a transaction: runs now


class _Batch:
    def __init__(self, urls):
        self.urls = set(urls)

    def __call__(self):
        if getattr(_local, "batch", None) is self:
            _local.batch = None
        purge_urls(sorted(self.urls))


def _registered(batch):
    """Is `batch` still waiting for this connection's commit? (A rollback drops it.)"""
    return connection.in_atomic_block and any(entry[1] is batch for entry in connection.run_on_commit)


def purge_urls(urls, now=None):
    """Send `urls` to every backend now; record the hosts that failed. Returns the failures {host: reason}.

    `now`: the time the retry job works at (rows due by then are settled by a success).
    """
    hosts = {urlsplit(url).hostname for url in urls} - {None}
    try:
        mark(hosts, now or timezone.now())
    except DatabaseError:
        logger.exception("edge purge: could not mark %s as purged", sorted(hosts))
    failures = {}
    for name, backend in get_backends().items():
        try:
            backend.purge_batch(urls)
        except PurgeFailed as exc:
            failures.update(exc.failures)
        except Exception as exc:  # a backend's own bug must not undo a publish that has committed
            logger.exception("edge purge: backend %s failed", name)
            failures.update({urlsplit(url).hostname: f"{name}: {exc}" for url in urls})
    try:
        _record(hosts, failures, now or timezone.now())
    except DatabaseError:
        logger.exception("edge purge: could not record the outcome for %s", sorted(hosts))
    return failures


def mark(hosts, now):
    """Note that `hosts` are purged as of `now`, before the purge is sent: should it fail or be slow,
    a copy the edge still holds from before the change is older than the mark, and explained."""
    for host in hosts:
        PurgeMark.objects.update_or_create(host=host, defaults={"purged_at": now})


def purged_at(host):
    return PurgeMark.objects.filter(host=host).values_list("purged_at", flat=True).first()


def _record(hosts, failures, now):
    for host, reason in failures.items():
        logger.warning("edge purge failed for %s (will retry): %s", host, reason)
        pending = PendingPurge.objects.filter(host=host).first() or PendingPurge(host=host)
        pending.attempts += 1
        pending.last_error = reason[:2000]
        pending.next_attempt_at = now + RETRY_BACKOFF[min(pending.attempts, len(RETRY_BACKOFF)) - 1]
        pending.save()
    done = hosts - set(failures)
    if done:
        # A success clears failed rows and due ones; a purge scheduled for later (a routing
        # change's second purge) still waits for its time.
        PendingPurge.objects.filter(host__in=done).filter(Q(attempts__gt=0) | Q(next_attempt_at__lte=now)).delete()


def retry_pending(now=None):
    """Retry every due PendingPurge (all hosts in one batch). Returns (retried, still failing)."""
    now = now or timezone.now()
    due = list(PendingPurge.objects.filter(next_attempt_at__lte=now).values_list("host", flat=True))
    if not due:
        return 0, 0
    failures = purge_urls([f"{settings.PLATFORM_SITE_SCHEME}://{host}/" for host in due], now=now)
    return len(due), len(failures)
