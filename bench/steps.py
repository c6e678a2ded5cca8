"""The Django side of the benchmarks: one step per child process, started by bench/run.py.

Each step prints one JSON object on stdout (its measurements) and progress on stderr.
Run with DJANGO_SETTINGS_MODULE=bench_settings (or bench_bypass_settings) and
PYTHONPATH=<repo>:<repo>/platform:<repo>/bench; run.py sets both and PGDATABASE.

Provisioning is timed in-process around `tenants.actions.provision_site`, the call
the console, the CLI and the region import all make; process start-up is not part of it.
"""

import argparse
import json
import os
import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tenants import actions  # noqa: E402
from tenants.models import GovSite, SpareSchema  # noqa: E402
from tenants.provisioning import spares, template  # noqa: E402
from tenants.regions import RegionRow, default_site_code  # noqa: E402

# The fixed part of the fleet: the page benchmark's county and its parents.
BASE_SITES = [
    # name, level, parent region code, region code
    ("四川省", "province", None, "510000"),
    ("成都市", "city", "510000", "510100"),
    ("锦江区", "county", "510100", "510104"),
]
BENCH_CITY = "510100"
CHINESE_DIGITS = "零一二三四五六七八九"
# Requests made before counting, so per-process caches (host route, Wagtail site) are warm.
WARMUP_REQUESTS = 3


def say(message):
    print(message, file=sys.stderr, flush=True)


def chinese_digits(digits):
    """'012' -> '零一二': region names must be Chinese, and pinyin turns them into distinct hosts."""
    return "".join(CHINESE_DIGITS[int(d)] for d in digits)


def candidate_regions():
    """(name, level, parent code, region code) of every bench region, parents before children.

    First Chengdu's county codes 510101-510199, then up to 999 townships under each of
    those counties (nine-digit codes 510101001...), enough for about 99,000 sites.
    """
    counties = [f"{BENCH_CITY[:4]}{n:02d}" for n in range(1, 100)]
    for code in counties:
        yield f"测试{chinese_digits(code[4:])}区", "county", BENCH_CITY, code
    for county in counties:
        for n in range(1, 1000):
            seq = f"{n:03d}"
            yield f"测试{chinese_digits(seq)}街道", "township", county, county + seq


class Fleet:
    """Provisions sites of the bench fleet with the next free region codes."""

    def __init__(self):
        self.sites = {site.region_code: site for site in GovSite.objects.all()}
        self.candidates = candidate_regions()

    def count(self):
        return len(self.sites)

    def provision(self, name, level, parent_code, region_code, method="clone"):
        """Provision one site; return the seconds `provision_site` took.

        "spare": one spare schema is made first (untimed), as the refill timer would
        have, and the provisioning takes it; "clone": no spare is ready, so the
        provisioning replays the template itself; "migrate": every migration runs.
        """
        parent = self.sites[parent_code] if parent_code else None
        if method == "spare":
            spares.refill(count=1)
        if SpareSchema.objects.exists() != (method == "spare"):
            raise RuntimeError(f"{method} run with {SpareSchema.objects.count()} spare schemas ready")
        started = time.perf_counter()
        result = actions.provision_site(
            name=name, level=level, parent=parent, region_code=region_code,
            site_code=default_site_code(region_code), acting_user=None, source="bench",
            method="clone" if method == "spare" else method,
        )
        elapsed = time.perf_counter() - started
        if SpareSchema.objects.exists():
            raise RuntimeError("the provisioning did not take the spare schema")
        self.sites[region_code] = result.site
        return elapsed

    def provision_next(self, method="clone"):
        for name, level, parent_code, region_code in self.candidates:
            if region_code not in self.sites:
                return self.provision(name, level, parent_code, region_code, method)
        raise RuntimeError("the bench fleet has run out of region codes")


def step_base(args):
    """Build the template schema (timed) and provision the page benchmark's site and its parents."""
    started = time.perf_counter()
    template.ensure_template()
    template_s = time.perf_counter() - started
    fleet = Fleet()
    for name, level, parent_code, region_code in BASE_SITES:
        if region_code not in fleet.sites:
            fleet.provision(name, level, parent_code, region_code)
    county = fleet.sites[BASE_SITES[-1][3]]
    return {"template_build_s": template_s, "host": county.primary_domain().domain,
            "article_path": _bench_article(county)}


def _bench_article(site):
    """A published article of ordinary length on `site` (the page benchmark's second page); its path."""
    from django_tenants.utils import schema_context

    from columns.models import ArticlePage, ColumnPage

    with schema_context(site.schema_name):
        page = ArticlePage.objects.filter(slug="bench-article").first()
        if page is None:
            paragraph = "<p>为进一步优化营商环境，推进政务服务一网通办，现将有关事项通知如下。</p>"
            page = ArticlePage(title="关于进一步优化营商环境的通知", slug="bench-article", source="区政府办公室",
                               summary="推进政务服务一网通办", body=paragraph * 30)
            ColumnPage.objects.get(slug="xwdt").add_child(instance=page)
            page.save_revision().publish()
        return page.url


def interleaved(**counts):
    """Methods in run order: each method's runs spread evenly over the whole run, so noise hits all alike."""
    runs = []
    for rank, (method, count) in enumerate(counts.items()):
        runs.extend(((i + rank / len(counts)) / count, method) for i in range(count))
    return [method for _, method in sorted(runs)]


def step_provision(args):
    """Provision sites by each method, interleaved; return each method's durations."""
    fleet = Fleet()
    sites_before = fleet.count()
    times = {"spare": [], "clone": [], "migrate": []}
    for method in interleaved(spare=args.spare, clone=args.clone, migrate=args.migrate):
        times[method].append(fleet.provision_next(method))
        say(f"  {method}: {times[method][-1]:.2f} s")
    return {**times, "sites_before": sites_before}


def step_import(args):
    """Import the next `--sites` bench regions as one file would be (`actions.import_rows`, the call
    `import_regions` makes): accounts, domains, audit rows and the spares cloned ahead included."""
    fleet = Fleet()
    rows = []
    for name, level, parent_code, region_code in fleet.candidates:
        if region_code not in fleet.sites:
            rows.append(RegionRow(
                line=len(rows) + 2, region_code=region_code, name=name, level=level, parent_code=parent_code,
                site_code="",
            ))
        if len(rows) == args.sites:
            break
    started = time.perf_counter()
    summary = actions.import_rows(rows, acting_user=None, source="cli:bench")
    elapsed = time.perf_counter() - started
    if summary.errors or len(summary.created) != args.sites:
        raise RuntimeError(f"the import made {len(summary.created)} of {args.sites} sites: {summary.errors[:5]}")
    if SpareSchema.objects.exists():
        raise RuntimeError("the import left spare schemas behind")
    return {"sites": args.sites, "elapsed_s": elapsed, "sites_before": fleet.count()}


def step_populate(args):
    """Provision (clone path) until the fleet has `--total` sites."""
    fleet = Fleet()
    started = time.perf_counter()
    made = 0
    while fleet.count() < args.total:
        fleet.provision_next()
        made += 1
        if made % 50 == 0:
            say(f"  {fleet.count()}/{args.total} sites ({made / (time.perf_counter() - started):.1f} per s)")
    return {"sites": fleet.count(), "provisioned": made, "elapsed_s": time.perf_counter() - started}


def step_queries(args):
    """SQL statements per request for the home page of `--host`, after warm-up, as Django's cursor sees them."""
    client = Client(HTTP_HOST=args.host)
    for _ in range(WARMUP_REQUESTS):
        response = client.get("/")
        if response.status_code != 200:
            raise RuntimeError(f"http://{args.host}/ answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(args.requests):
            client.get("/")
    return {"queries_per_request": len(queries) / args.requests, "requests": args.requests}


SEARCH_VOCABULARY_EXTRA = [
    "关于", "通知", "公告", "实施", "意见", "办法", "方案", "工作", "推进", "开展", "召开", "会议",
    "部署", "建设", "管理", "服务", "政策", "解读", "发展", "改革", "安全", "生产", "检查", "教育",
    "就业", "社区", "治理", "项目", "资金", "财政", "文化", "卫生", "防汛", "交通", "公园", "小区",
    "电梯", "垃圾", "分类", "数字", "政府",
]


SEARCH_VOCABULARY_SIZE = 20_000


def search_vocabulary():
    """Words the generated documents and queries are made of.

    jieba's own dictionary's 20,000 most frequent words of two or more characters, plus
    the platform's government terms: with 60-word bodies a word then occurs in about
    0.3% of documents, so a query matches thousands of items in a million, not half of them.
    """
    from pathlib import Path

    import jieba

    from search.segment import DICTIONARY

    entries = []
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            word, freq = line.split()[:2]
            if len(word) >= 2 and word.isalnum():
                entries.append((int(freq), word))
    common = [word for _, word in sorted(entries, reverse=True)[:SEARCH_VOCABULARY_SIZE]]
    ours = [line.split()[0] for line in DICTIONARY.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(set(common) | set(ours) | set(SEARCH_VOCABULARY_EXTRA))


POOL_SIZE = 10_000
# A word in every tenth document (100,000 of the library's million), as 通知 is on real sites:
# the case where a query matches far more items than are ranked (search.query.RANK_CANDIDATES).
COMMON_WORD = "通知"


def _make_pool(cursor):
    """A temporary table of POOL_SIZE distinct documents (title, body, vector) drawn from the vocabulary.

    Generating random text in SQL costs about a millisecond a row; the library's million rows
    are copies of these (each with its own key, site and date), which keeps every word's
    share of documents as it is in the pool.
    """
    cursor.execute(
        """
        CREATE TEMPORARY TABLE search_pool AS
        SELECT i AS id, title || CASE WHEN i %% 10 = 0 THEN ' ' || %(common)s ELSE '' END AS title, body,
               setweight(to_tsvector('simple', title || CASE WHEN i %% 10 = 0 THEN ' ' || %(common)s ELSE '' END), 'A')
               || setweight(to_tsvector('simple', body), 'B') AS vector
        FROM (SELECT %(vocab)s::text[] AS v) vocab,
             generate_series(1, %(size)s) AS i,
             -- "+ 0 * g" ties each aggregate to its own generate_series (a random word per position).
             LATERAL (SELECT string_agg(v[1 + floor(random() * cardinality(v))::int + 0 * g], ' ') AS title
                      FROM generate_series(1, 8) AS g WHERE i > 0) t,
             LATERAL (SELECT string_agg(v[1 + floor(random() * cardinality(v))::int + 0 * g], ' ') AS body
                      FROM generate_series(1, 60) AS g WHERE i > 0) b
        """,
        {"vocab": search_vocabulary(), "size": POOL_SIZE, "common": COMMON_WORD},
    )


def _generate(cursor, table, count, columns_sql, chunk=200_000):
    """INSERT `count` rows into `table` from the pool (columns_sql may use i, title, body, vector)."""
    made = 0
    while made < count:
        n = min(chunk, count - made)
        cursor.execute(
            f"""
            INSERT INTO {table}
            SELECT {columns_sql}
            FROM generate_series(%(start)s, %(stop)s) AS i
            JOIN search_pool ON search_pool.id = 1 + mod(i, {POOL_SIZE})
            """,  # noqa: S608 (table and columns are ours)
            {"start": made + 1, "stop": made + n},
        )
        made += n
        say(f"  {table.split(' ')[0]}: {made:,}/{count:,}")


def step_search_data(args):
    """Index --index-items real items (timed: items/s), then generate the site index and the library up to size."""
    from django.db import transaction
    from django_tenants.utils import schema_context

    from search import index

    site = GovSite.objects.get(region_code=BASE_SITES[-1][3])
    vocabulary = search_vocabulary()
    rng = __import__("random").Random(7)
    started = time.perf_counter()
    with schema_context(site.schema_name), transaction.atomic():
        for n in range(args.index_items):
            title = "".join(rng.choices(vocabulary, k=6))
            body = "".join(rng.choices(vocabulary, k=60))
            index._write(
                f"page:{10_000_000 + n}", site, kind="article", title=title, summary="", body=body,
                url=f"/bench/{n}/", column_id=None, column_title="新闻动态", published_at=None,
            )
    indexing_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM public.library_resourceitem")
        in_library = cursor.fetchone()[0]
        cursor.execute(f'SELECT count(*) FROM "{site.schema_name}".sitesearch_searchentry')  # noqa: S608
        in_site = cursor.fetchone()[0]
        site_ids = list(GovSite.objects.values_list("pk", flat=True))
        _make_pool(cursor)
        vector = "vector"
        _generate(
            cursor, f'"{site.schema_name}".sitesearch_searchentry '
            "(key, kind, title, summary, url, column_id, column_title, published_at, title_text, body_text, "
            "search_vector)",
            max(0, args.site_items - in_site),
            "'bench:' || i, 'article', title, left(body, 140), '/bench/g' || i || '/', NULL, '新闻动态', "
            f"now() - mod(i, 2000) * interval '3 hours', title, body, {vector}",
        )
        # A bulk load into a GIN index row by row is slow (minutes per 100,000 rows here); like any
        # bulk import, drop the index and build it once afterwards. Bench database only.
        cursor.execute("DROP INDEX IF EXISTS public.library_vector_gin")
        _generate(
            cursor, "public.library_resourceitem (site_id, source_key, kind, title, summary, url, column_title, "
            "published_at, title_text, segmented_text, search_vector, updated_at)",
            max(0, args.library_items - in_library),
            f"(ARRAY{site_ids})[1 + mod(i, {len(site_ids)})], 'bench:' || i, 'article', title, left(body, 140), "
            "'http://bench.invalid/' || i || '/', '新闻动态', now() - mod(i, 5000) * interval '1 hour', title, "
            f"title || ' ' || body, {vector}, now()",
        )
        started_index = time.perf_counter()
        cursor.execute("CREATE INDEX library_vector_gin ON public.library_resourceitem USING gin (search_vector)")
        say(f"  GIN index over the library built in {time.perf_counter() - started_index:.0f} s")
        # What autovacuum does soon after a bulk load in production (it is off on the test server):
        # statistics, and the visibility map that lets a count skip heap pages.
        cursor.execute(f'VACUUM ANALYZE "{site.schema_name}".sitesearch_searchentry')
        started_vacuum = time.perf_counter()
        cursor.execute("VACUUM ANALYZE public.library_resourceitem")
        say(f"  library vacuumed and analysed in {time.perf_counter() - started_vacuum:.0f} s")
    return {
        "indexed": args.index_items, "indexing_s": indexing_s, "site_items": args.site_items,
        "library_items": args.library_items, "queries": [" ".join(rng.sample(vocabulary, k)) for k in
                                                          [1] * 150 + [2] * 50],
        "common_queries": [COMMON_WORD] * 20 + [f"{COMMON_WORD} {word}" for word in rng.sample(vocabulary, 30)],
    }


def _through_edge(port, host, path):
    """(X-Cache, body) of a GET through the edge."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.getheader("X-Cache"), response.read().decode()
    finally:
        conn.close()


def step_edge_publish(args):
    """Publish --rounds articles on --host; ms from the publish call until the column page shows it at the edge.

    Before each publish the column page is a cache hit at the edge; the clock starts when the
    publish starts (revision, publish, commit, the purge after commit) and stops at the first
    response through the edge that shows the new title (polled every 5 ms).
    """
    from django_tenants.utils import schema_context

    from columns.models import ArticlePage, ColumnPage
    from search import segment

    site = GovSite.objects.get(domains__domain=args.host)
    latencies = []
    # As a gunicorn worker does at start (deploy/gunicorn/gunicorn.conf.py, post_worker_init).
    segment.tokenizer()
    with schema_context(site.schema_name):
        news = ColumnPage.objects.get(slug="xwdt")
        for n in range(args.rounds):
            _through_edge(args.edge_port, args.host, "/xwdt/")
            cached, _ = _through_edge(args.edge_port, args.host, "/xwdt/")
            if cached != "HIT":
                raise SystemExit(f"the column page is not cached at the edge before publish {n} ({cached})")
            title = f"发布时延测试{n:03d}"
            started = time.perf_counter()
            page = ArticlePage(title=title, slug=f"edge-latency-{n}")
            news.add_child(instance=page)
            page.save_revision().publish()
            while title not in _through_edge(args.edge_port, args.host, "/xwdt/")[1]:
                if time.perf_counter() - started > 30:
                    raise SystemExit(f"{title} did not show through the edge within 30 s")
                time.sleep(0.005)
            latencies.append((time.perf_counter() - started) * 1000)
    return {"latencies_ms": latencies}


def step_hosts(args):
    """The primary host of every site, in region-code order, and the database's and catalog's sizes."""
    from tenants.models import Domain

    primary = Domain.objects.filter(is_primary=True).order_by("tenant__region_code")
    hosts = list(primary.values_list("domain", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'"
        )
        catalog = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_class")
        relations = cursor.fetchone()[0]
    return {"hosts": hosts, "database_bytes": database, "catalog_bytes": int(catalog), "relations": relations}


def step_count_messages(args):
    """How many mailbox messages the benchmark's site holds (proof the posts were stored)."""
    from django_tenants.utils import schema_context

    from interaction.models import Message

    site = GovSite.objects.get(domains__domain=args.host)
    with schema_context(site.schema_name):
        return {"messages": Message.objects.count()}


def _fill_site(site, pages, images, tag):
    """`pages` published articles (spread over the news, notice and interpretation columns) and
    `images` images, one per article while they last, on `site`; returns the seconds it took."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from django_tenants.utils import schema_context
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    from columns.models import ArticlePage, ColumnPage

    # Photographs do not compress: 800x600 noise as JPEG is about the size of a news photo (~150 kB).
    pool = []
    for _ in range(min(images, 20)):
        buffer = BytesIO()
        PILImage.frombytes("RGB", (800, 600), os.urandom(800 * 600 * 3)).save(buffer, "JPEG", quality=75)
        pool.append(buffer.getvalue())
    started = time.perf_counter()
    with schema_context(site.schema_name):
        made = []
        for n in range(images):
            picture = ContentFile(pool[n % len(pool)], name=f"{tag}{n}.jpg")
            made.append(Image.objects.create(title=f"{tag}图片{n}", file=picture, width=800, height=600))
        columns = list(ColumnPage.objects.filter(slug__in=["xwdt", "tzgg", "zcjd"]))
        body = "<p>为进一步优化营商环境，推进政务服务一网通办，现将有关事项通知如下。</p>" * 8
        for n in range(pages):
            columns[n % len(columns)].add_child(instance=ArticlePage(
                title=f"{tag}信息第{n}号", slug=f"{tag}-{n}", live=True, first_published_at=timezone.now(),
                body=body, feature_image=made[n] if n < len(made) else None,
            ))
            if (n + 1) % 1000 == 0:
                say(f"  {site.name}: {n + 1}/{pages} pages")
    connection.set_schema_to_public()
    return time.perf_counter() - started


LIFECYCLE_CITY = "510300"


def _free_lifecycle_county(fleet):
    for n in range(1, 100):
        code = f"{LIFECYCLE_CITY[:4]}{n:02d}"
        if code not in fleet.sites:
            return code
    raise RuntimeError(f"every county code under {LIFECYCLE_CITY} has a site: use a fresh --db")


def step_lifecycle(args):
    """Backup and restore of a site with --pages pages and --images images; fold of a township with --fold-pages."""

    fleet = Fleet()
    # Under a city of their own: the fleet may already hold every county code under BENCH_CITY.
    if LIFECYCLE_CITY not in fleet.sites:
        fleet.provision("自贡市", "city", "510000", LIFECYCLE_CITY)
    county_code = _free_lifecycle_county(fleet)
    fleet.provision(f"测试{chinese_digits(county_code[4:])}区", "county", LIFECYCLE_CITY, county_code)
    county = fleet.sites[county_code]
    say(f"filling {county.name} with {args.pages} pages and {args.images} images")
    fill_s = _fill_site(county, args.pages, args.images, "bk")

    started = time.perf_counter()
    backup = actions.backup_site(county, acting_user=None, source="bench")
    backup_s = time.perf_counter() - started
    say(f"  backup: {backup_s:.1f} s, {backup.size / 1e6:.1f} MB")

    started = time.perf_counter()
    copy_code = _free_lifecycle_county(fleet)
    actions.restore_as_new_site(
        backup, name=f"测试{chinese_digits(copy_code[4:])}区", parent=county.parent, region_code=copy_code,
        site_code=default_site_code(copy_code), domains=[f"restored-{copy_code}.bench.localhost"], acting_user=None,
    )
    restore_new_s = time.perf_counter() - started
    say(f"  restore as a new site: {restore_new_s:.1f} s")

    started = time.perf_counter()
    actions.restore_backup(backup, acting_user=None, safety_backup=False)
    restore_over_s = time.perf_counter() - started
    say(f"  restore over the site: {restore_over_s:.1f} s")

    township_code = f"{county_code}001"
    fleet.provision(f"测试{chinese_digits('001')}街道", "township", county_code, township_code)
    township = fleet.sites[township_code]
    say(f"filling {township.name} with {args.fold_pages} pages and {args.fold_images} images")
    _fill_site(township, args.fold_pages, args.fold_images, "fold")
    started = time.perf_counter()
    result = actions.fold_township(township, acting_user=None, source="bench")
    fold_s = time.perf_counter() - started
    say(f"  fold: {fold_s:.1f} s")
    return {
        "fill_s": fill_s, "backup_s": backup_s, "backup_bytes": backup.size, "backup_rows": backup.row_count,
        "backup_files": backup.media_count, "restore_new_s": restore_new_s, "restore_over_s": restore_over_s,
        "fold_s": fold_s, "fold_pages": result.count("pages"), "fold_images": result.count("images"),
        "fold_redirects": result.redirects,
    }


def step_indicators(args):
    """Recompute every site's inspection indicators in one process (timed); a console session for the dashboard."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from monitoring.models import SiteHealth
    from tenants import staff_roles

    started = time.perf_counter()
    call_command("compute_indicators", stdout=sys.stderr)
    elapsed = time.perf_counter() - started
    staff, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=staff_roles.SYSTEM))
    session = SessionStore()
    session["_auth_user_id"] = str(staff.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = staff.get_session_auth_hash()
    # The console asks staff for their second factor: the session has passed it, with an app of theirs.
    device = TOTPDevice.objects.filter(user=staff, confirmed=True).first() or TOTPDevice.objects.create(
        user=staff, name="bench", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return {"sites": SiteHealth.objects.count(), "elapsed_s": elapsed, "session": session.session_key}


def step_crawl(args):
    """The link checker over --sites sites (served by the bench's gunicorn at --port), timed."""
    from django.test import override_settings

    from monitoring.crawler import crawl_sites

    sites = GovSite.objects.filter(status="active").prefetch_related("domains").order_by("region_code")
    sites = list(sites[:args.sites])
    # The footer's filing link is the one external host: left alone, the figure is the platform's.
    with override_settings(MONITORING_PROBE_CONNECT_TO=f"*=127.0.0.1:{args.port}",
                           MONITORING_CRAWL_DELAY_SECONDS=args.delay,
                           MONITORING_CRAWL_SKIP_HOSTS=["beian.miit.gov.cn"]):
        started = time.perf_counter()
        results = crawl_sites(sites)
        elapsed = time.perf_counter() - started
    return {"sites": len(results), "pages": sum(r.pages for r in results.values()),
            "checked": sum(r.checked for r in results.values()),
            "broken": sum(len(r.broken) for r in results.values()), "elapsed_s": elapsed}


def step_tamper(args):
    """The tamper probe over the fleet's sites: public copies through Varnish at --edge-port, published
    pages from gunicorn at --port, twice: the first run reads every page from the app (no baseline
    yet), the second finds the public copies as verified and asks the app for nothing."""
    from django.test import override_settings

    from monitoring import tamper
    from monitoring.models import TamperIncident

    sites = list(tamper.watched_sites()[:args.sites])
    edge = {"edge": {"BACKEND": "edge.backends.HostBanBackend", "LOCATIONS": [f"http://127.0.0.1:{args.edge_port}"],
                     "TIMEOUT": 2}}
    runs = []
    with override_settings(MONITORING_PROBE_CONNECT_TO=f"*=127.0.0.1:{args.edge_port}",
                           TAMPER_ORIGIN=f"127.0.0.1:{args.port}", WAGTAILFRONTENDCACHE=edge):
        for _ in range(2):
            started = time.perf_counter()
            totals = tamper.run(sites)
            runs.append({"elapsed_s": time.perf_counter() - started, **totals})
    return {"sites": len(sites), "runs": runs, "incidents": TamperIncident.objects.count()}


def step_syndicate(args):
    """Publish an article on the province site and distribute it to every site below; when it committed.

    The province's editor does this in the admin (syndication.actions.distribute_page); the worker,
    woken by the NOTIFY, delivers it. run.py times from `committed_at` until every copy answers.
    """
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from columns.models import ArticlePage, ColumnPage
    from syndication import actions as syndication

    province = GovSite.objects.get(region_code=BASE_SITES[0][3])
    with schema_context(province.schema_name):
        page = ArticlePage(title=f"全省统一部署的第{chinese_digits(str(args.round))}项工作", slug=f"sync-{args.round}",
                           body="<p>各地要按照统一部署抓好落实。</p>" * 10)
        ColumnPage.objects.get(slug="xwdt").add_child(instance=page)
        page.save_revision().publish()
        editor = get_user_model().objects.get(username="admin")
        distribution = syndication.distribute_page(
            page, province, levels=["city", "county", "township"], root=province, acting_user=editor)
        committed_at = time.time()
    hosts = [site.primary_domain().domain for site in
             GovSite.objects.filter(deliveries__distribution=distribution).prefetch_related("domains")]
    return {"committed_at": committed_at, "distribution": distribution.pk, "path": f"/sjxx/d{distribution.pk}/",
            "hosts": hosts}


def step_delivered(args):
    """When the last receiving site's copy of --distribution was delivered (wall clock, as time.time())."""
    from django.db.models import Max

    from library.models import Delivery

    last = Delivery.objects.filter(distribution_id=args.distribution).aggregate(last=Max("delivered_at"))["last"]
    return {"last_delivered_at": last.timestamp() if last else None}


RESCAN_COLUMNS = ["xwdt", "tzgg", "zcjd"]
RESCAN_CLEAN_BODIES = 1000
# One page in RESCAN_PLANT_EVERY carries exactly one planted finding (12 in a site of 3,000).
RESCAN_PLANT_EVERY = 250
RESCAN_PLANT_KINDS = ["serious_body", "serious_title", "suspect_body", "resident_id", "leader_title"]
RESCAN_LEADER_TITLES = ["省委书记", "省长", "常务副省长", "副省长", "省委副书记", "秘书长", "省政协主席",
                        "省人大常委会主任"]
RESCAN_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁"
                   "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _b36_sql(expression):
    """SQL of a treebeard path step (4 base-36 digits, Wagtail's alphabet) of the integer `expression`."""
    return " || ".join(
        f"substr('{BASE36}', (({expression}) / {36 ** k}) % 36 + 1, 1)" for k in (3, 2, 1, 0)
    )


class RescanText:
    """Generated text of the re-scan benchmark: sentences of jieba's common words, as rich text."""

    def __init__(self, rng):
        self.rng = rng
        self.words = [w for w in search_vocabulary() if len(w) <= 4]
        surnames = list(RESCAN_SURNAMES)
        given = [w for w in self.words if len(w) == 2][:3000]
        self.leaders = []  # (name, title, rank)
        names = set()
        while len(self.leaders) < 30:
            name = rng.choice(surnames) + rng.choice(given)[rng.randrange(2)]
            if name not in names:
                names.add(name)
                self.leaders.append((name, RESCAN_LEADER_TITLES[len(self.leaders) % len(RESCAN_LEADER_TITLES)],
                                     len(self.leaders) + 1))

    def sentence(self, low=8, high=16):
        words = self.rng.choices(self.words, k=self.rng.randint(low, high))
        cut = self.rng.randrange(1, len(words))
        return "".join(words[:cut]) + "，" + "".join(words[cut:]) + "。"

    def paragraph(self):
        key = "".join(self.rng.choices("0123456789abcdef", k=5))
        text = "".join(self.sentence() for _ in range(self.rng.randint(2, 4)))
        if self.rng.random() < 0.3:
            text = f"<b>{self.sentence(3, 5)}</b>&nbsp;{text}"
        return f'<p data-block-key="{key}">{text}</p>'

    def body(self, extra=""):
        """About 500–700 characters of text in 6–9 paragraphs (about 2 KB in UTF-8); `extra` in one of them."""
        paragraphs = [self.paragraph() for _ in range(self.rng.randint(6, 9))]
        if self.rng.random() < 0.15:  # a leader named as the lists have them: found, no finding
            name, title, _rank = self.rng.choice(self.leaders)
            paragraphs[0] = paragraphs[0].replace("</p>", f"{title}{name}出席会议并讲话。</p>", 1)
        if extra:
            where = self.rng.randrange(len(paragraphs))
            paragraphs[where] = paragraphs[where].replace("</p>", extra + "</p>", 1)
        return "".join(paragraphs)

    def title(self):
        return "关于" + "".join(self.rng.choices(self.words, k=self.rng.randint(3, 5))) + "的通知"

    def terms(self, count):
        """`count` generated misspellings (a character of a 3–4-character word changed): 60% serious."""
        made = {}
        source = [w for w in self.words if len(w) >= 3]
        characters = "".join(self.words)
        while len(made) < count:
            word = self.rng.choice(source)
            at = self.rng.randrange(len(word))
            wrong = word[:at] + self.rng.choice(characters) + word[at + 1:]
            if wrong != word:
                made[wrong] = ("serious" if self.rng.random() < 0.6 else "suspect", word)
        return made

    def resident_id(self):
        from wording.personal import resident_id_check_digit

        first = f"510104{self.rng.randint(1950, 2005)}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}"
        first += f"{self.rng.randint(0, 999):03d}"
        return first + resident_id_check_digit(first)


def _load_rescan_lists(text, count):
    """The starter list plus `count` generated terms and 30 leaders; generated terms that the generated
    text happens to hold (checked on a sample of it) are left out, so every finding is a planted one."""
    import ahocorasick

    from wording.models import Leader, Term
    from wording.normalise import fast, normalise_term

    sample = fast("".join(text.body() + text.title() for _ in range(3000)))
    candidates = text.terms(count + count // 5)
    automaton = ahocorasick.Automaton()
    for wrong in candidates:
        automaton.add_word(normalise_term(wrong), wrong)
    automaton.make_automaton()
    occurring = {wrong for _end, wrong in automaton.iter(sample)}
    existing = set(Term.objects.values_list("normalised", flat=True))
    terms = []
    for wrong, (kind, right) in candidates.items():
        key = normalise_term(wrong)
        if wrong in occurring or key in existing or len(terms) >= count:
            continue
        existing.add(key)
        terms.append(Term(text=wrong, normalised=key, kind=kind, correct=right, note="基准测试生成",
                          updated_by="bench"))
    Term.objects.bulk_create(terms, batch_size=1000)
    Leader.objects.bulk_create([Leader(name=n, title=t, rank=r) for n, t, r in text.leaders],
                               ignore_conflicts=True)
    return terms


def _rescan_pool(text, terms):
    """Rows (id, title, summary, body): RESCAN_CLEAN_BODIES clean ones, then planted ones (one finding each,
    of each kind in turn), every one checked by the engine itself so the expected count is exact."""
    from wording import engine
    from wording.texts import plain

    checker = engine.current()
    serious = [t for t in terms if t.kind == "serious"] or [None]
    suspect = [t for t in terms if t.kind == "suspect"]
    leaders = {title for _n, title, _r in text.leaders}
    rows = []
    while len(rows) < RESCAN_CLEAN_BODIES:
        title, body = text.title(), text.body()
        summary = text.sentence()
        if not any(checker.check(t) for t in (title, summary, plain(body))):
            rows.append((len(rows), title, summary, body))
    planted = dict.fromkeys(RESCAN_PLANT_KINDS, 0)
    attempts = 0
    while sum(planted.values()) < 2 * len(RESCAN_PLANT_KINDS) * 20:
        attempts += 1
        if attempts > 10_000:
            raise RuntimeError("could not plant findings that the engine finds exactly once")
        kind = RESCAN_PLANT_KINDS[sum(planted.values()) % len(RESCAN_PLANT_KINDS)]
        title, summary, body = text.title(), text.sentence(), None
        if kind == "serious_body":
            body = text.body(f"{text.sentence(3, 5)[:-1]}{text.rng.choice(serious).text}工作。")
        elif kind == "serious_title":
            title = f"{text.rng.choice(serious).text}{title}"
        elif kind == "suspect_body":
            body = text.body(f"{text.rng.choice(suspect).text}。")
        elif kind == "resident_id":
            body = text.body(f"联系人身份证号码{text.resident_id()}。")
        else:  # a leader with a title not theirs
            name, own, _rank = text.rng.choice(text.leaders)
            other = text.rng.choice(sorted(leaders - {own}))
            body = text.body(f"{other}{name}出席会议并讲话。")
        body = body or text.body()
        hits = [hit for t in (title, summary, plain(body)) for hit in checker.check(t)]
        if len(hits) == 1:
            rows.append((len(rows), title, summary, body))
            planted[kind] += 1
    return rows


def _seed_rescan_site(cursor, site, pages, first, planted_pool):
    """`pages` live articles in the site's three news columns, written straight into its tables; (pages,
    planted pages) of the site. A real article made by Wagtail is the model for every row."""
    from django.db import transaction
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from columns.models import ArticlePage, ColumnPage

    schema = site.schema_name
    with schema_context(schema), transaction.atomic():
        earlier = ArticlePage.objects.filter(slug__startswith="rs-").exclude(slug="rs-model").count()
        if earlier:  # seeded by an earlier run (--reuse-db)
            connection.set_schema_to_public()
            return earlier, _planted(earlier)
        columns = {c.slug: c for c in ColumnPage.objects.filter(slug__in=RESCAN_COLUMNS)}
        model = ArticlePage.objects.filter(slug="rs-model").first()
        if model is None:
            model = ArticlePage(title="基准测试样板文章", slug="rs-model", live=True, first_published_at=timezone.now(),
                                body="<p>样板。</p>")
            columns[RESCAN_COLUMNS[0]].add_child(instance=model)
        page_columns = [c for c in _columns(cursor, schema, "wagtailcore_page") if c != "id"]
        article_columns = _columns(cursor, schema, "columns_articlepage")
        pool_id = (f"CASE WHEN i % {RESCAN_PLANT_EVERY} = {RESCAN_PLANT_EVERY // 2} "
                   f"THEN {RESCAN_CLEAN_BODIES} + ((%(first)s + i) / {RESCAN_PLANT_EVERY}) % {planted_pool} "
                   f"ELSE ((%(first)s + i)::bigint * 7919) % {RESCAN_CLEAN_BODIES} END")
        for index, slug in enumerate(RESCAN_COLUMNS):
            column = ColumnPage.objects.get(pk=columns[slug].pk)
            last = column.get_last_child()
            start = int(last.path[-4:], 36) + 1 if last else 1
            count = len(range(index, pages, len(RESCAN_COLUMNS)))
            overrides = {
                "path": f"%(parent_path)s || {_b36_sql(f'%(start)s + i / {len(RESCAN_COLUMNS)}')}",
                "depth": "%(depth)s", "numchild": "0", "title": "p.title", "draft_title": "p.title",
                "slug": "'rs-' || i", "url_path": "%(parent_url)s || 'rs-' || i || '/'",
                "translation_key": "gen_random_uuid()",
                "first_published_at": "now() - i * interval '3 hours'",
                "last_published_at": "now() - i * interval '3 hours'",
            }
            article_overrides = {"page_ptr_id": "new.id", "summary": "p.summary", "body": "p.body",
                                 "source": "'区政府办公室'"}
            cursor.execute(
                f"""
                WITH src AS (SELECT i, {pool_id} AS pid FROM generate_series(0, %(pages)s - 1) AS i
                             WHERE i % {len(RESCAN_COLUMNS)} = %(column)s),
                new AS (
                    INSERT INTO "{schema}".wagtailcore_page ({", ".join(f'"{c}"' for c in page_columns)})
                    SELECT {", ".join(overrides.get(c, f'm."{c}"') for c in page_columns)}
                    FROM src JOIN pg_temp.rescan_pool p ON p.id = src.pid
                    CROSS JOIN "{schema}".wagtailcore_page m WHERE m.id = %(model)s
                    RETURNING id, slug
                )
                INSERT INTO "{schema}".columns_articlepage ({", ".join(f'"{c}"' for c in article_columns)})
                SELECT {", ".join(article_overrides.get(c, f'a."{c}"') for c in article_columns)}
                FROM new JOIN src ON new.slug = 'rs-' || src.i JOIN pg_temp.rescan_pool p ON p.id = src.pid
                CROSS JOIN "{schema}".columns_articlepage a WHERE a.page_ptr_id = %(model)s
                """.replace("%", "%%").replace("%%(", "%("),  # noqa: S608 (schema and columns are ours)
                {"pages": pages, "column": index, "first": first, "model": model.pk, "parent_path": column.path,
                 "start": start, "depth": column.depth + 1, "parent_url": column.url_path},
            )
            cursor.execute(f'UPDATE "{schema}".wagtailcore_page SET numchild = numchild + %s WHERE id = %s',  # noqa: S608
                           [count, column.pk])
    connection.set_schema_to_public()
    return pages, _planted(pages)


def _planted(pages):
    return sum(1 for i in range(pages) if i % RESCAN_PLANT_EVERY == RESCAN_PLANT_EVERY // 2)


def _columns(cursor, schema, table):
    cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                   "AND table_name = %s ORDER BY ordinal_position", [schema, table])
    return [row[0] for row in cursor.fetchall()]


def step_rescan_data(args):
    """A province for the 错敏词 re-scan: the lists (starter, --terms generated, leaders) and --pages live
    articles in every site (about 2 KB of rich text each, one in RESCAN_PLANT_EVERY with one finding)."""
    import random

    from wording.models import Finding, ScanRun, Term

    rng = random.Random(11)  # noqa: S311 (generated text, not secrets)
    text = RescanText(rng)
    started = time.perf_counter()
    generated = list(Term.objects.filter(updated_by="bench")) or _load_rescan_lists(text, args.terms)
    pool = _rescan_pool(text, generated)
    planted_pool = len(pool) - RESCAN_CLEAN_BODIES
    say(f"  lists: {Term.objects.count()} terms; {len(pool)} texts ({planted_pool} with a planted finding) "
        f"in {time.perf_counter() - started:.0f} s")
    sites = list(GovSite.objects.order_by("region_code"))
    seeded = planted = 0
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE rescan_pool (id int PRIMARY KEY, title text, summary text, body text)")
        with cursor.cursor.copy("COPY pg_temp.rescan_pool (id, title, summary, body) FROM STDIN") as copy:
            for row in pool:
                copy.write_row(row)
        for number, site in enumerate(sites):
            pages, planted_pages = _seed_rescan_site(cursor, site, args.pages, number * args.pages, planted_pool)
            seeded += pages
            planted += planted_pages
            if (number + 1) % 20 == 0:
                say(f"  {number + 1}/{len(sites)} sites seeded ({time.perf_counter() - started:.0f} s)")
        cursor.execute("ANALYZE")
    # The scan starts from nothing: no findings, and no unfinished run of a killed benchmark to resume.
    Finding.objects.all().delete()
    ScanRun.objects.all().delete()
    return {"sites": len(sites), "pages": seeded, "planted": planted, "terms": Term.objects.count(),
            "elapsed_s": time.perf_counter() - started}


def step_rescan_result(args):
    """What the latest re-scan did: its sites and items, and the findings now on record, by kind."""
    from django.db.models import Count, Sum

    from wording.models import Finding, ScanRun

    run = ScanRun.objects.latest()
    done = run.sites.aggregate(sites=Count("pk"), items=Sum("items"), findings=Sum("findings"))
    kinds = dict(Finding.objects.values_list("kind").annotate(n=Count("pk")))
    rules = dict(Finding.objects.values_list("rule").annotate(n=Count("pk")))
    return {"finished": run.finished_at is not None, "sites_total": run.sites_total, **done, "kinds": kinds,
            "rules": rules}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("base").set_defaults(run=step_base)
    provision = steps.add_parser("provision")
    provision.add_argument("--spare", type=int, default=0)
    provision.add_argument("--clone", type=int, required=True)
    provision.add_argument("--migrate", type=int, required=True)
    provision.set_defaults(run=step_provision)
    import_regions = steps.add_parser("import")
    import_regions.add_argument("--sites", type=int, required=True)
    import_regions.set_defaults(run=step_import)
    populate = steps.add_parser("populate")
    populate.add_argument("--total", type=int, required=True)
    populate.set_defaults(run=step_populate)
    queries = steps.add_parser("queries")
    queries.add_argument("--host", required=True)
    queries.add_argument("--requests", type=int, default=20)
    queries.set_defaults(run=step_queries)
    search_data = steps.add_parser("search_data")
    search_data.add_argument("--index-items", type=int, required=True)
    search_data.add_argument("--site-items", type=int, required=True)
    search_data.add_argument("--library-items", type=int, required=True)
    search_data.set_defaults(run=step_search_data)
    edge_publish = steps.add_parser("edge_publish")
    edge_publish.add_argument("--host", required=True)
    edge_publish.add_argument("--edge-port", type=int, required=True)
    edge_publish.add_argument("--rounds", type=int, required=True)
    edge_publish.set_defaults(run=step_edge_publish)
    lifecycle = steps.add_parser("lifecycle")
    lifecycle.add_argument("--pages", type=int, required=True)
    lifecycle.add_argument("--images", type=int, required=True)
    lifecycle.add_argument("--fold-pages", type=int, required=True)
    lifecycle.add_argument("--fold-images", type=int, required=True)
    lifecycle.set_defaults(run=step_lifecycle)
    steps.add_parser("indicators").set_defaults(run=step_indicators)
    crawl = steps.add_parser("crawl")
    crawl.add_argument("--sites", type=int, required=True)
    crawl.add_argument("--port", type=int, required=True)
    crawl.add_argument("--delay", type=float, required=True)
    crawl.set_defaults(run=step_crawl)
    tamper = steps.add_parser("tamper")
    tamper.add_argument("--sites", type=int, required=True)
    tamper.add_argument("--port", type=int, required=True)
    tamper.add_argument("--edge-port", type=int, required=True)
    tamper.set_defaults(run=step_tamper)
    syndicate = steps.add_parser("syndicate")
    syndicate.add_argument("--round", type=int, required=True)
    syndicate.set_defaults(run=step_syndicate)
    delivered = steps.add_parser("delivered")
    delivered.add_argument("--distribution", type=int, required=True)
    delivered.set_defaults(run=step_delivered)
    rescan_data = steps.add_parser("rescan_data")
    rescan_data.add_argument("--pages", type=int, required=True)
    rescan_data.add_argument("--terms", type=int, required=True)
    rescan_data.set_defaults(run=step_rescan_data)
    steps.add_parser("rescan_result").set_defaults(run=step_rescan_result)
    steps.add_parser("hosts").set_defaults(run=step_hosts)
    count = steps.add_parser("count_messages")
    count.add_argument("--host", required=True)
    count.set_defaults(run=step_count_messages)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    print(json.dumps(args.run(args)), flush=True)


if __name__ == "__main__":
    main()
