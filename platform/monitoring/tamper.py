"""网页防篡改: what citizens receive through a site's public address, compared with what the platform renders.

Each run (`probe_tamper`, a timer every 5 minutes) takes, per site in service, the home page, the next
TAMPER_COLUMNS_PER_RUN column pages and the next item (monitoring.models.TamperWatch keeps the place,
so every column and item comes round in turn). For each page it fetches

1. the public copy: through the site's public domain, as a citizen does (the edge, nginx, whatever
   stands in front), and then
2. the published page: from an app node directly (TAMPER_ORIGIN), which renders it from the database,
   unless the public copy is the page as last read from the app node (its digest in TamperPage,
   verified after the site's last purge): then the app is not asked, and a quiet province costs
   the app nothing but the pages that changed.

Both go through `normalise` (the theme's dynamic parts, marked `data-volatile`, and CSRF tokens taken
out) and are compared. A difference is settled by clearing the page's host at the edge and fetching
both again:

- the public copy was born (its Age) before the platform last purged the host, and that purge came
  before the published page was fetched: a stale copy (a purge that did not arrive), explained;
- otherwise an incident (TamperIncident) is opened, or the open one for that page seen again:
  `restored` says whether the public address serves the right page after the purge. The site's
  administrators and the province's system and security administrators are mailed at once, the
  dashboard shows the 安全 veto (monitoring.indicators) until an administrator closes the incident
  in the console (`close_incident`, audited).

Requests are sent from a thread pool (waiting on the network); the database is touched in the
calling thread only. A site whose pages cannot be read is noted on its TamperWatch and left for the
next run; it never stops the others.
"""

import difflib
import hashlib
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from columns.models import ColumnPage, path_on_site
from edge import purge
from tenants import audit, staff_roles
from tenants.models import AuditAction, GovSite, SiteStatus
from tenants.provisioning.site_groups import SITE_ADMIN

from . import health, probes
from .models import TamperIncident, TamperPage, TamperWatch
from .outbound import Policy

logger = logging.getLogger(__name__)
KEPT_CHARS = 200_000  # of each side of an incident: enough for any page of the theme, bounded for a hostile one
# Age is whole seconds and the clocks of edge and job differ a little.
CLOCK_SLACK = timedelta(seconds=2)


def normalise(body):
    """The page as compared: parsed, the elements marked `data-volatile` removed (captcha, anything new
    at every answer), CSRF token values dropped, whitespace folded, one tag per line (for the diff)."""
    soup = BeautifulSoup(body, "html.parser")
    for element in soup.select("[data-volatile]"):
        element.decompose()
    for token in soup.select("input[name=csrfmiddlewaretoken]"):
        token.attrs.pop("value", None)
    text = re.sub(r"\s+", " ", str(soup))
    return re.sub(r">\s*<", ">\n<", text).strip()


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


class Copy:
    """One answer: its status and body; `text` (normalised) is worked out only when compared."""

    def __init__(self, status, body=b"", age=0, error=""):
        self.status, self.age, self.error = status, age, error
        self.body = body if isinstance(body, bytes) else body.encode()

    @cached_property
    def text(self):
        return normalise(self.body) if self.status is not None else ""

    @cached_property
    def raw(self):
        """The digest of the bytes as they came: a copy the edge serves again is the same bytes."""
        return hashlib.sha256(self.body).hexdigest()

    def same_as(self, other):
        return self.status == other.status and digest(self.text) == digest(other.text)


def _read(answer):
    if answer.status is None:
        return Copy(None, error=answer.error)
    return Copy(answer.status, answer.body, answer.age)


def origin_address():
    """(address, port) of the app node the published pages are read from, or None: not configured."""
    address, _, port = (settings.TAMPER_ORIGIN or "").rpartition(":")
    return (address.strip("[]"), int(port)) if address and port.isdigit() else None


def fetch_public(url, policy=None):
    return _read(probes.request(url, policy=policy))


def fetch_published(url):
    # The app node speaks plain HTTP behind the edge; it is told the public scheme as nginx tells it.
    return _read(probes.request(url, connect_to=origin_address(),
                                headers={"X-Forwarded-Proto": settings.PLATFORM_SITE_SCHEME}))


# --- which pages -------------------------------------------------------------------------

def pick_pages(site, watch, columns_per_run=None):
    """[(page path on the site)] to check now, in `site`'s schema: the home page, the next columns and
    the next item after the watch's cursors (wrapping round); moves the cursors (saved by the caller)."""
    columns_per_run = settings.TAMPER_COLUMNS_PER_RUN if columns_per_run is None else columns_per_run
    live = Page.objects.live().public().filter(depth__gt=2)
    columns = live.type(ColumnPage).order_by("pk")
    items = live.not_type(ColumnPage).order_by("pk")
    paths = ["/"]
    for queryset, cursor, count in ((columns, "column_cursor", columns_per_run), (items, "item_cursor", 1)):
        rows = list(queryset.filter(pk__gt=getattr(watch, cursor)).values_list("pk", "url_path")[:count])
        if len(rows) < count:  # round again from the first
            rows += list(queryset.exclude(pk__in=[pk for pk, _ in rows]).values_list("pk", "url_path")
                         [:count - len(rows)])
        if rows:
            setattr(watch, cursor, rows[-1][0])
        paths += [path_on_site(url_path) for _, url_path in rows]
    return list(dict.fromkeys(paths))


# --- one page -----------------------------------------------------------------------------

@dataclass
class Check:
    site: GovSite
    url: str
    public: Copy
    published: Copy | None  # None: the public copy is the page last verified (TamperPage), not asked again
    public_at: object  # when the public copy was asked for
    published_at: object  # when the published page had come back


def compare(site, url, baseline=None, policy=None):
    """Fetch `url` through the public address, then, unless it has the `baseline` digest, from the app node
    (in this order: a publish between the two shows as a purge after the public copy was born).
    Never touches the database."""
    public_at = timezone.now()
    public = fetch_public(url, policy)
    if baseline is not None and public.status is not None and baseline.verified(public):
        return Check(site, url, public, None, public_at, public_at)
    published = fetch_published(url)
    return Check(site, url, public, published, public_at, timezone.now())


def settle(check, policy=None):
    """What a check means, in the calling thread: ("ok" | "unreadable" | "stale" | "incident", a Baseline
    of the published page as read now and of the public copy found to be it, or None). "stale": explained
    and refreshed; "incident": opened or seen again. Purges and fetches again when the two differ."""
    if check.public.status is None or check.public.status >= 500:
        # No page, or the edge's or the app's error page: the availability probes' business, not tampering.
        return "unreadable", None
    if check.published is None:
        return "ok", None
    if check.published.status is None:
        return "unreadable", None
    if check.public.same_as(check.published):
        return "ok", Baseline(digest(check.published.text), check.public.raw)
    host = urlsplit(check.url).hostname
    marked = purge.purged_at(host)
    born = check.public_at - timedelta(seconds=check.public.age)
    purge.purge_urls([check.url])
    again = fetch_public(check.url, policy)
    published = fetch_published(check.url)
    if published.status is None:
        published = check.published
    restored = again.status is not None and again.same_as(published)
    verified = Baseline(digest(published.text), again.raw if restored else "")
    explained = marked is not None and born < marked + CLOCK_SLACK and marked <= check.published_at
    if explained and restored:
        logger.info("tamper probe: %s was a stale copy (born %s, purged %s); refreshed", check.url, born, marked)
        return "stale", verified
    open_incident(check.site, check.url, expected=published, served=check.public, restored=restored)
    return "incident", verified


@dataclass
class Baseline:
    """A page as last read from the app node: the digest of its normalised text, and of the bytes of a
    public copy that was found to be it (the edge serves the same bytes again: no parsing needed)."""

    digest: str
    raw: str = ""

    def verified(self, public):
        return (self.raw and public.raw == self.raw) or digest(public.text) == self.digest


def baselines(site, urls):
    """{url: Baseline} of `urls` verified since the site was last purged (the others must be read again)."""
    marked = purge.purged_at(urlsplit(urls[0]).hostname) if urls else None
    pages = TamperPage.objects.filter(site=site, url__in=urls)
    if marked is not None:
        pages = pages.filter(verified_at__gt=marked)
    rows = pages.values_list("url", "digest", "raw_digest")
    return {url: Baseline(page_digest, raw) for url, page_digest, raw in rows}


def remember(site, verified):
    """Store what was read from the app node: [(url, Baseline, when)]."""
    for url, baseline, when in verified:
        TamperPage.objects.update_or_create(site=site, url=url, defaults={
            "digest": baseline.digest, "raw_digest": baseline.raw, "verified_at": when})


# --- incidents ----------------------------------------------------------------------------

def open_incident(site, url, *, expected, served, restored):
    """Open an incident for `url` (or count the open one again) and alert at once. Returns it."""
    now = timezone.now()
    with transaction.atomic():
        incident = (TamperIncident.objects.select_for_update()
                    .filter(site=site, url=url, closed_at__isnull=True).first())
        if incident is not None:
            incident.times_seen += 1
            incident.last_seen_at = now
            incident.served, incident.served_status = served.text[:KEPT_CHARS], served.status
            incident.restored = restored
            incident.save(update_fields=["times_seen", "last_seen_at", "served", "served_status", "restored"])
            return incident
        try:
            with transaction.atomic():
                incident = TamperIncident.objects.create(
                    site=site, url=url, last_seen_at=now, expected=expected.text[:KEPT_CHARS],
                    served=served.text[:KEPT_CHARS], served_status=served.status, restored=restored)
        except IntegrityError:  # another run opened it meanwhile
            return TamperIncident.objects.get(site=site, url=url, closed_at__isnull=True)
        audit.record(AuditAction.TAMPER_DETECTED, acting_user=None, site=site, source="job:probe_tamper",
                     url=url, incident=incident.pk, restored=restored)
    incident.alerted = alert(incident)
    TamperIncident.objects.filter(pk=incident.pk).update(alerted=incident.alerted)
    return incident


def _recipients(site):
    User = get_user_model()
    with schema_context(site.schema_name):
        local = set(User.objects.filter(is_active=True).exclude(email="")
                    .filter(is_superuser=True).values_list("email", flat=True))
        local |= set(User.objects.filter(is_active=True, groups__name=SITE_ADMIN).exclude(email="")
                     .values_list("email", flat=True))
    province = set(User.objects.filter(is_active=True, groups__name__in=[staff_roles.SYSTEM, staff_roles.SECURITY])
                   .exclude(email="").values_list("email", flat=True))
    return sorted(local | province)


def alert(incident):
    """Mail the site's administrators and the province's system and security administrators; returns
    how many were mailed (0 when the mail could not go: the console and dashboard still show it)."""
    site = incident.site
    recipients = _recipients(site)
    if not recipients:
        return 0
    state = ("清除边缘缓存并重新获取后，页面已恢复正常" if incident.restored else
             "清除边缘缓存并重新获取后，公众收到的页面仍与发布内容不一致：请立即检查网站前端（nginx、缓存、域名解析）")
    body = "\n".join([
        f"{site.display_name}网站（{site.base_url() or site.region_code}）的页面 {incident.url} "
        f"在 {timezone.localtime(incident.opened_at):%Y-%m-%d %H:%M:%S} 被发现与平台发布的内容不一致，"
        "且没有发布操作可以解释。",
        "",
        state + "。",
        "",
        "在处置说明记入控制台“网页防篡改”并关闭事件之前，网站监测显示“网页被篡改未处置”单项否决。",
        "请登录平台控制台查看差异并处置。",
    ])
    try:
        send_mail(f"【安全事件】{site.name}网页被篡改", body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("tamper alert for %s not sent (the incident is open in the console)", incident.url)
        return 0
    return len(recipients)


class IncidentError(ValueError):
    """The incident cannot be closed so; the message says why, in Chinese."""


def close_incident(incident, note, *, acting_user, source=""):
    note = (note or "").strip()
    if not note:
        raise IncidentError("请填写处置说明：查明的原因和采取的措施")
    with transaction.atomic():
        incident = TamperIncident.objects.select_for_update().get(pk=incident.pk)
        if incident.closed_at is not None:
            raise IncidentError("该事件已处置")
        incident.closed_at = timezone.now()
        incident.closed_by = acting_user.get_username()
        incident.close_note = note[:2000]
        incident.save(update_fields=["closed_at", "closed_by", "close_note"])
        audit.record(AuditAction.CLOSE_TAMPER_INCIDENT, acting_user=acting_user, site=incident.site, source=source,
                     url=incident.url, incident=incident.pk, note=note[:500])
    health.refresh(incident.site)
    return incident


def diff(incident):
    """[(kind, line)] of what differs, kind "-" (published), "+" (served), " " (context) or "@" (a gap)."""
    lines = []
    for line in difflib.unified_diff(incident.expected.splitlines(), incident.served.splitlines(), n=2, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        lines.append(("@", "…") if line.startswith("@@") else (line[:1], line[1:]))
    return lines


# --- a run --------------------------------------------------------------------------------

def _check_site(site, urls, pool, policy):
    """Check `urls` of `site`; returns [(url, outcome, why it could not be read or "")]."""
    known = baselines(site, urls)
    checks = list(pool.map(lambda url: compare(site, url, known.get(url), policy), urls))
    connection.set_schema_to_public()
    settled = [settle(check, policy) for check in checks]
    remember(site, [(check.url, baseline, check.published_at)
                    for check, (_outcome, baseline) in zip(checks, settled, strict=True) if baseline])
    if any(outcome == "incident" for outcome, _baseline in settled):
        health.refresh(site)  # the 安全 veto on the dashboard now, not at the next computation
    return [(check.url, outcome, _unreadable_because(check) if outcome == "unreadable" else "")
            for check, (outcome, _baseline) in zip(checks, settled, strict=True)]


def _unreadable_because(check):
    if check.public.error:
        return f"公网：{check.public.error}"
    if check.public.status is not None and check.public.status >= 500:
        return f"公网：{probes.status_error(check.public.status)}"
    return f"应用节点：{check.published.error}" if check.published else "无应答"


def watched_sites():
    return GovSite.objects.filter(status=SiteStatus.ACTIVE).prefetch_related("domains").order_by("region_code")


def run(sites=None, *, concurrency=None, progress=None):
    """Check every site in service once; returns {"ok": n, "stale": n, "incident": n, "unreadable": n}."""
    if origin_address() is None:
        raise ValueError("TAMPER_ORIGIN 未设置：防篡改监测需要直接读取应用节点（地址:端口）")
    totals = dict.fromkeys(("ok", "stale", "incident", "unreadable"), 0)
    plans = []
    for site in (watched_sites() if sites is None else sites):
        base = site.base_url()
        if not base:
            continue
        watch, _ = TamperWatch.objects.get_or_create(site=site)
        try:
            with schema_context(site.schema_name):
                paths = pick_pages(site, watch)
        except Exception:  # one site's broken pages table must not stop the province's probe
            logger.exception("tamper probe: the pages of %s could not be read", site)
            TamperWatch.objects.filter(pk=watch.pk).update(last_error="页面列表读取失败", last_run_at=timezone.now())
            continue
        plans.append((site, watch, [base + path for path in paths]))
    urls = [url for _site, _watch, site_urls in plans for url in site_urls]
    policy = Policy.for_run(urlsplit(url).hostname for url in urls)
    with ThreadPoolExecutor(max_workers=concurrency or settings.MONITORING_PROBE_CONCURRENCY) as pool:
        for site, watch, site_urls in plans:
            try:
                outcomes = _check_site(site, site_urls, pool, policy)
            except Exception:  # a bug or a database error in one site's pages leaves the others checked
                logger.exception("tamper probe: %s could not be checked", site)
                connection.set_schema_to_public()
                outcomes, error = [], "检测失败（详见日志）"
            else:
                error = next((f"{url}：{reason}" for url, _outcome, reason in outcomes if reason), "")
                outcomes = [outcome for _url, outcome, _reason in outcomes]
            for outcome in outcomes:
                totals[outcome] += 1
            watch.last_run_at = timezone.now()
            watch.pages_checked += len(outcomes)
            watch.last_error = error[:200]
            watch.save()
            if progress:
                progress(site, outcomes)
    return totals
