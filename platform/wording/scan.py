"""The archive re-scan: every live item of every site checked again against the lists, as Findings.

- `scan_site(site)` (in the site's schema) replaces the site's findings with what its live pages and the
  other registered sources (`register_source`: the mailbox's published exchanges) hold now;
- `scan_page(site, page)` does the same for one page, when it is published (wording.signals);
- a ScanRun is the whole province, site by site, resumable: `scan_wording` carries on with the sites
  the run has not done; a change of the lists asks for one (`request_run`).
"""

import multiprocessing
import traceback
from dataclasses import dataclass
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone
from django_tenants.utils import tenant_context
from wagtail.models import Page

from tenants.models import AuditAction, AuditEvent, GovSite, SiteStatus, require_schema

from . import engine
from .models import Finding, Kind, ScanRun, SiteScan
from .normalise import fast
from .texts import field_text, page_texts, text_fields

# Callables (site) -> iterable of Item, registered by the apps whose content is published outside pages.
SOURCES = []


@dataclass
class Item:
    title: str
    url: str
    texts: list  # [(label, text)]
    page_id: int | None = None
    message_code: str = ""


def register_source(source):
    if source not in SOURCES:
        SOURCES.append(source)


def page_path(url_path):
    """"/home/xwdt/a-1/" -> "/xwdt/a-1/": a page's address on its site (columns.path_on_site, one floor up)."""
    return "/" + "".join(f"{part}/" for part in url_path.strip("/").split("/")[1:])


def page_item(page):
    return Item(page.title, page_path(page.url_path), page_texts(page, children=False), page_id=page.pk)


def confirmed(site):
    """{(page id or message code, words)} an editor confirmed (audited CONFIRM_WORDING): not a to-do."""
    pairs = set()
    events = AuditEvent.objects.filter(site=site, action=AuditAction.CONFIRM_WORDING).values_list("detail", flat=True)
    for detail in events:
        owner = detail.get("page") or detail.get("message")
        pairs.update((owner, hit.get("found")) for hit in detail.get("hits", []))
    return pairs


def _findings(site, item, checker, accepted=frozenset()):
    rows = []
    owner = item.page_id or item.message_code
    for label, text in item.texts:
        for hit in checker.check(text):
            if hit.kind != Kind.SERIOUS and (owner, hit.found) in accepted:
                continue
            before, found, after = hit.context(text)
            rows.append(Finding(
                site=site, page_id=item.page_id, message_code=item.message_code, title=item.title[:255],
                url=item.url[:600], field=label[:100], kind=hit.kind, rule=hit.rule, found=found[:200],
                correct=hit.correct[:200], before=before[-40:], after=after[:40],
            ))
    return rows


def page_items():
    """(path, Item) of every live page below the root, as `page_item` of `.specific()` makes them, but one
    query per page type for just the text columns, with no model instance per page."""
    live = Page.objects.live().filter(depth__gt=1)
    counts = live.order_by().values_list("content_type").annotate(n=Count("pk"))
    for type_id, expected in counts:
        # As `.specific()`: a type whose model is gone is read as a plain page.
        model = ContentType.objects.get_for_id(type_id).model_class() or Page
        read = 0
        for path_item in _typed_items(model, model.objects.live().filter(depth__gt=1, content_type_id=type_id)):
            read += 1
            yield path_item
        if read < expected:  # pages whose specific row is missing: read as plain pages, as `.specific()` does
            orphans = live.filter(content_type_id=type_id).exclude(pk__in=model.objects.values("pk"))
            yield from _typed_items(Page, orphans)


def _typed_items(model, queryset):
    fields = text_fields(model)
    columns = ["pk", "title", "url_path", "path", *(field.name for field in fields)]
    for pk, title, url_path, path, *values in queryset.values_list(*columns).iterator(1000):
        texts = [(str(field.verbose_name), text) for field, value in zip(fields, values, strict=True)
                 if (text := field_text(field, value)).strip()]
        yield path, Item(title, page_path(url_path), texts, page_id=pk)


def scan_site(site):
    """Replace `site`'s findings with a fresh scan; returns (items scanned, findings)."""
    require_schema(site)
    checker, accepted = engine.current(), confirmed(site)
    count, found = 0, []
    for path, item in page_items():
        count += 1
        rows = _findings(site, item, checker, accepted)
        if rows:
            found.append((path, rows))
    found.sort(key=lambda entry: entry[0])  # tree order, as the pages are listed in the admin
    rows = [row for _path, page_rows in found for row in page_rows]
    for source in SOURCES:
        for item in source(site):
            count += 1
            rows += _findings(site, item, checker, accepted)
    with transaction.atomic():
        Finding.objects.filter(site=site).delete()
        Finding.objects.bulk_create(rows, batch_size=1000)
    return count, len(rows)


def scan_page(site, page):
    """Replace the findings of one page (live: scanned again; not live: none)."""
    with transaction.atomic():
        Finding.objects.filter(site=site, page_id=page.pk).delete()
        if page.live:
            Finding.objects.bulk_create(_findings(site, page_item(page.specific), engine.current(), confirmed(site)))


def scan_message(site, code, item=None):
    """Replace the findings of one published exchange (`item`), or drop them (None: not published)."""
    with transaction.atomic():
        Finding.objects.filter(site=site, message_code=code).delete()
        if item is not None:
            Finding.objects.bulk_create(_findings(site, item, engine.current(), confirmed(site)))


def request_run(reason):
    """Ask for a whole-province scan (one waiting request is enough for any number of changes)."""
    pending = ScanRun.objects.filter(started_at__isnull=True).first()
    return pending or ScanRun.objects.create(reason=reason)


def pending_run():
    return ScanRun.objects.filter(finished_at__isnull=True).order_by("requested_at").first()


def run(scan_run, sites, *, progress=None, report=None, workers=1):
    """Scan the sites of `sites` that `scan_run` has not done; a failing site is reported and left for the
    next resume, the others go on. Returns the sites that failed.

    With `workers` > 1, that many processes scan a site each at a time (the scan is CPU-bound Python), each
    on its own connection: only what is committed is seen, so inside a transaction it stays one process."""
    if scan_run.started_at is None:
        scan_run.started_at = timezone.now()
    sites = list(sites)
    scan_run.sites_total = len(sites)
    scan_run.save(update_fields=["started_at", "sites_total"])
    done = set(scan_run.sites.values_list("site_id", flat=True))
    todo = []
    for site in sites:
        if site.pk in done:
            if progress:
                progress(site)
        else:
            todo.append(site)
    if workers > 1 and len(todo) > 1 and not connection.in_atomic_block:
        outcomes = _in_processes(scan_run, todo, workers)
    else:
        outcomes = ((site, _scan_one(scan_run, site)) for site in todo)
    failed = []
    for site, error in outcomes:
        if error is not None:
            failed.append(site)
            if report:
                report(site, error)
        if progress:
            progress(site)
    if not failed:
        scan_run.finished_at = timezone.now()
        scan_run.save(update_fields=["finished_at"])
    return failed


def _scan_one(scan_run, site):
    """Scan one site and record it done in `scan_run`; None, or the traceback of its failure."""
    try:
        # One site's failure rolls back only that site's work (its own savepoint) and is retried next run.
        with transaction.atomic(), tenant_context(site):
            count, found = scan_site(site)
        SiteScan.objects.create(run=scan_run, site=site, items=count, findings=found)
    except Exception:
        return traceback.format_exc()
    finally:
        connection.set_schema_to_public()
    return None


def _worker_scan(scan_run, site):
    return site.pk, _scan_one(scan_run, site)


def _in_processes(scan_run, sites, workers):
    """(site, error) as each site's scan ends, `workers` forked processes scanning one site each at a time."""
    engine.current()  # built once here: the forked processes share it (and the folding table) unchanged
    fast("")
    by_pk = {site.pk: site for site in sites}
    connections.close_all()  # each process opens its own; a connection must not cross a fork
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for pk, error in pool.imap_unordered(partial(_worker_scan, scan_run), sites):
            yield by_pk[pk], error


def scanned_sites():
    """The sites a province-wide scan covers: those in service (an archived site is frozen)."""
    return GovSite.objects.filter(status__in=[SiteStatus.ACTIVE, SiteStatus.SUSPENDED]).order_by("region_code")
