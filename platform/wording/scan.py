"""The archive re-scan: every live item of every site checked again against the lists, as Findings.

- `scan_site(site)` (in the site's schema) replaces the site's findings with what its live pages and the
  other registered sources (`register_source`: the mailbox's published exchanges) hold now;
- `scan_page(site, page)` does the same for one page, when it is published (wording.signals);
- a ScanRun is the whole province, site by site, resumable: `scan_wording` carries on with the sites
  the run has not done; a change of the lists asks for one (`request_run`).
"""

import traceback
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context
from wagtail.models import Page

from tenants.models import AuditAction, AuditEvent, GovSite, SiteStatus, require_schema

from . import engine
from .models import Finding, Kind, ScanRun, SiteScan
from .texts import page_texts

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


def items(site):
    yield from (page_item(page) for page in Page.objects.live().filter(depth__gt=1).specific().iterator(1000))
    for source in SOURCES:
        yield from source(site)


def scan_site(site):
    """Replace `site`'s findings with a fresh scan; returns (items scanned, findings)."""
    require_schema(site)
    checker, accepted = engine.current(), confirmed(site)
    rows, count = [], 0
    for item in items(site):
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


def run(scan_run, sites, *, progress=None, report=None):
    """Scan the sites of `sites` that `scan_run` has not done; a failing site is reported and left for the
    next resume, the others go on. Returns the sites that failed."""
    if scan_run.started_at is None:
        scan_run.started_at = timezone.now()
    sites = list(sites)
    scan_run.sites_total = len(sites)
    scan_run.save(update_fields=["started_at", "sites_total"])
    done = set(scan_run.sites.values_list("site_id", flat=True))
    failed = []
    for site in sites:
        if site.pk in done:
            if progress:
                progress(site)
            continue
        try:
            # One site's failure rolls back only that site's work (its own savepoint) and is retried next run.
            with transaction.atomic(), tenant_context(site):
                count, found = scan_site(site)
            SiteScan.objects.create(run=scan_run, site=site, items=count, findings=found)
        except Exception:
            failed.append(site)
            if report:
                report(site, traceback.format_exc())
        finally:
            connection.set_schema_to_public()
            if progress:
                progress(site)
    if not failed:
        scan_run.finished_at = timezone.now()
        scan_run.save(update_fields=["finished_at"])
    return failed


def scanned_sites():
    """The sites a province-wide scan covers: those in service (an archived site is frozen)."""
    return GovSite.objects.filter(status__in=[SiteStatus.ACTIVE, SiteStatus.SUSPENDED]).order_by("region_code")
