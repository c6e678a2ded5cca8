"""The link checker: crawls each site through its public address and records its broken links.

Starting at the home page it follows the site's own links (same host) breadth first, up to
MONITORING_CRAWL_MAX_PAGES pages, and collects every link and image on them. Internal
addresses are judged by fetching them; external ones with one HEAD request (GET when HEAD is
refused), once per address per crawl. A link is broken on a 4xx/5xx answer, a network error
or no answer within the probe timeout.

Polite by construction: one request at a time per host (each site is crawled by one worker,
external hosts are queued per host), MONITORING_CRAWL_DELAY_SECONDS between two requests to
the same host, and a page cap per site. Sites are crawled several at a time (different hosts).
Results replace the site's previous ones (BrokenLink), with a CrawlRun row for the record.
"""

import logging
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tenants.models import Domain

from .models import BrokenLink, CrawlRun
from .outbound import Policy
from .probes import INVALID, request, status_error

logger = logging.getLogger(__name__)

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")
# Addresses of a site that are not pages to crawl: never followed (the admin, searches, captchas, the
# 纠错 form every page links)...
SKIPPED_PATHS = ("/admin/", "/search/", "/captcha/", "/jiucuo/")
# ...and files, checked like external links (HEAD) but not read as pages.
FILE_PATHS = ("/documents/", "/media/", "/static/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        value = attrs.get("href") if tag in ("a", "link") else attrs.get("src") if tag in ("img", "script") else None
        if tag == "link" and attrs.get("rel") not in ("stylesheet", "icon", "alternate"):
            value = None
        if value and not value.strip().lower().startswith(SKIPPED_SCHEMES):
            self.links.append(value.strip())


@dataclass
class CrawlResult:
    pages: int = 0
    checked: int = 0
    broken: list = field(default_factory=list)  # [(url, found_on, status, error)]


class _Politeness:
    """At most one request per host at a time, and a pause between two to the same host."""

    def __init__(self, delay):
        self.delay = delay
        self.last = {}

    def wait(self, host):
        gap = self.delay - (time.monotonic() - self.last.get(host, 0))
        if gap > 0:
            time.sleep(gap)
        self.last[host] = time.monotonic()


def crawl(base_url, *, max_pages=None, delay=None, timeout=None, policy=None):
    """Crawl one site from `base_url` (scheme://host[:port]); a CrawlResult. Touches no database.

    Every address goes through probes.request, so only where `policy` allows; a link that cannot
    even be parsed is a broken link of its own ("地址无效"), never the end of the crawl.
    """
    policy = policy or Policy.for_run([urlsplit(base_url).hostname])
    max_pages = max_pages or settings.MONITORING_CRAWL_MAX_PAGES
    delay = settings.MONITORING_CRAWL_DELAY_SECONDS if delay is None else delay
    polite = _Politeness(delay)
    home = urlsplit(base_url)
    result = CrawlResult()
    queue = deque([(base_url + "/", "")])
    seen = {base_url + "/"}
    external = {}  # url -> first page it was found on
    while queue:
        url, found_on = queue.popleft()
        if result.pages >= max_pages:
            break
        polite.wait(home.netloc)
        answer = request(url, timeout=timeout, policy=policy)
        result.checked += 1
        if answer.status is None or answer.status >= 400:
            result.broken.append((url, found_on, answer.status, answer.error or status_error(answer.status)))
            continue
        if 300 <= answer.status < 400 and answer.location:
            try:
                target = urljoin(url, answer.location)
                same_host = urlsplit(target).netloc == home.netloc
            except ValueError:
                result.broken.append((url, found_on, answer.status, INVALID))
                continue
            if same_host and target not in seen:
                seen.add(target)
                queue.append((target, found_on))
            continue
        result.pages += 1
        parser = _Links()
        parser.feed(answer.body.decode("utf-8", errors="replace"))  # html.parser reads any text, if badly
        for link in parser.links:
            try:
                target, _fragment = urldefrag(urljoin(url, link))
                parts = urlsplit(target)
                parts.port  # noqa: B018  (raises ValueError for a port beyond 65535)
            except ValueError:
                result.broken.append((link[:600], url, None, INVALID))
                continue
            if parts.scheme not in ("http", "https"):
                continue
            if parts.netloc == home.netloc and not parts.path.startswith(FILE_PATHS):
                if parts.path.startswith(SKIPPED_PATHS) or target in seen:
                    continue
                seen.add(target)
                queue.append((target, url))
            else:
                external.setdefault(target, url)  # another host, or one of the site's files
    # The national 找错 platform's link is the platform's, in every footer: not each site's to check
    # (3,000 sites would knock on it every night).
    skipped = {*settings.MONITORING_CRAWL_SKIP_HOSTS, urlsplit(settings.ERROR_REPORT_URL).hostname}
    for target, found_on in sorted(external.items()):
        if urlsplit(target).hostname in skipped:
            continue
        polite.wait(urlsplit(target).netloc)
        answer = request(target, method="HEAD", timeout=timeout, policy=policy)
        if answer.status in (405, 501):  # some servers refuse HEAD
            answer = request(target, timeout=timeout, max_bytes=65536, policy=policy)
        result.checked += 1
        if answer.status is None or answer.status >= 400:
            result.broken.append((target, found_on, answer.status, answer.error or status_error(answer.status)))
    return result


def crawl_sites(sites, concurrency=None):
    """Crawl each site (several at a time) and store its broken links as soon as its crawl ends;
    returns {site: CrawlResult}. A crawl that fails is logged and leaves that site's last results."""
    targets = [(site, site.base_url()) for site in sites]  # here: the threads never touch the database
    targets = [(site, base) for site, base in targets if base]
    # Links between the platform's sites are the platform's own: trusted wherever the sites are.
    policy = Policy.for_run(Domain.objects.values_list("domain", flat=True))
    started = timezone.now()
    results = {}
    with ThreadPoolExecutor(max_workers=concurrency or settings.MONITORING_CRAWL_CONCURRENCY) as pool:
        running = {pool.submit(crawl, base, policy=policy): site for site, base in targets}
        for done in as_completed(running):
            site = running[done]
            try:
                result = done.result()
            except Exception:  # a bug met on one site's pages must not cost every other site its results
                logger.exception("crawling %s failed", site.schema_name)
                continue
            connection.set_schema_to_public()
            store(site, result, started)
            results[site] = result
    return results


def store(site, result, started):
    with transaction.atomic():
        BrokenLink.objects.filter(site=site).delete()
        BrokenLink.objects.bulk_create(
            BrokenLink(site=site, url=url[:600], found_on=found_on[:600], status=status, error=error[:200])
            for url, found_on, status, error in result.broken
        )
        CrawlRun.objects.create(site=site, started_at=started, finished_at=timezone.now(), pages=result.pages,
                                checked=result.checked, broken=len(result.broken))
