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
from tenants.regions import default_site_code  # noqa: E402

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

    from monitoring.models import SiteHealth
    from tenants import staff_roles

    started = time.perf_counter()
    call_command("compute_indicators", stdout=sys.stderr)
    elapsed = time.perf_counter() - started
    staff, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=staff_roles.ADMINISTRATOR))
    session = SessionStore()
    session["_auth_user_id"] = str(staff.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = staff.get_session_auth_hash()
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


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("base").set_defaults(run=step_base)
    provision = steps.add_parser("provision")
    provision.add_argument("--spare", type=int, default=0)
    provision.add_argument("--clone", type=int, required=True)
    provision.add_argument("--migrate", type=int, required=True)
    provision.set_defaults(run=step_provision)
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
    syndicate = steps.add_parser("syndicate")
    syndicate.add_argument("--round", type=int, required=True)
    syndicate.set_defaults(run=step_syndicate)
    delivered = steps.add_parser("delivered")
    delivered.add_argument("--distribution", type=int, required=True)
    delivered.set_defaults(run=step_delivered)
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
