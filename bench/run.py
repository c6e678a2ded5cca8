"""Platform benchmarks (`make bench`): provisioning, no-op fleet migrations, citizen page throughput.

Each run creates its own database (default govsites_bench), builds a fleet in it
and drops it at the end, also on failure, Ctrl-C or SIGTERM. stdout carries one
JSON object per line: first the command that reproduces the run and its options,
then one object per figure. Progress goes to stderr. See bench/README.md.
"""

import argparse
import json
import math
import operator
import os
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import ExitStack
from pathlib import Path

from harness import (
    LOCALHOST,
    ROOT,
    BenchError,
    Django,
    Gunicorn,
    backend_private_mib,
    check_db_name,
    create_database,
    csrf_form,
    database_exists,
    drop_database,
    fetch,
    free_port,
    nginx_static,
    say,
    source_revision,
    varnish,
    worker_rss_mib,
    wrk,
    wrk_hosts,
    wrk_post,
)

DEFAULTS = {
    "clone_sites": 20, "migrate_sites": 5, "import_sites": 200, "tenants": 200, "sites_existing": 200,
    "fast_rounds": 3, "all_rounds": 2, "rounds": 10, "wrk_seconds": 5,
    "index_items": 2000, "site_items": 10_000, "library_items": 1_000_000, "publishes": 20,
    "backup_pages": 5000, "backup_images": 2000, "fold_pages": 500, "fold_images": 100, "syndications": 5,
    "rescan_sites": 200, "rescan_pages": 3000, "rescan_terms": 5000,
}
QUICK = {
    "clone_sites": 5, "migrate_sites": 2, "import_sites": 10, "tenants": 20, "sites_existing": 20,
    "fast_rounds": 2, "all_rounds": 1, "rounds": 3, "wrk_seconds": 3,
    "index_items": 200, "site_items": 2000, "library_items": 20_000, "publishes": 5,
    "backup_pages": 300, "backup_images": 100, "fold_pages": 50, "fold_images": 10, "syndications": 2,
    "rescan_sites": 20, "rescan_pages": 500, "rescan_terms": 1000,
}
# Goals from the issue, as (comparison, target).
CLONE_MEDIAN_GOAL_S = ("<=", 1.0)
CLONE_SPEEDUP_GOAL = (">=", 20)
IMPORT_PER_SITE_GOAL_S = ("<=", 0.2)
TENANCY_RPS_RATIO_GOAL = (">=", 0.95)
# 600,000 items (a province) re-scanned in at most 10 minutes.
RESCAN_GOAL_ITEMS = 600_000
RESCAN_GOAL_S = ("<=", 600)
RESCAN_RATE_GOAL = (">=", RESCAN_GOAL_ITEMS / 600)
SEARCH_P95_GOAL_MS = {"site": 100, "province": 300, "province_common": 300}
COMPARISONS = {"<=": operator.le, ">=": operator.ge}
# Time budgets; a step over its budget fails the run instead of hanging it.
PROVISION_TIMEOUT_S = {"clone": 15, "migrate": 120}
MIGRATE_TIMEOUT_PER_TENANT_S = 5
STEP_OVERHEAD_S = 120
WARMUP_WRK_SECONDS = 2
MIGRATE_COMMANDS = {
    "fast": ["migrate_schemas", "--noinput"],
    "all": ["migrate_schemas", "--noinput", "--all"],
}
# The fast path's summary line: "<n> 个站点模式中 <pending> 个需要迁移（…）".
FAST_PATH_SUMMARY = re.compile(r"个站点模式中 (\d+) 个需要迁移")
SERVER_SETTINGS = {"tenancy": "bench_settings", "bypass": "bench_bypass_settings"}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK}")
    parser.add_argument("--db", default="govsites_bench", help="throwaway database, created then dropped")
    parser.add_argument(
        "--keep-db", action="store_true", help="leave the database in place at the end (to EXPLAIN what was measured)"
    )
    parser.add_argument(
        "--reuse-db", action="store_true",
        help="start from the database a --keep-db run left (its fleet is not provisioned again); implies --keep-db",
    )
    parser.add_argument("--clone-sites", type=int, help="sites provisioned by cloning, per median")
    parser.add_argument("--migrate-sites", type=int, help="sites provisioned by running every migration")
    parser.add_argument("--import-sites", type=int, help="sites of one region import (import_rows), timed whole")
    parser.add_argument("--tenants", type=int, help="fleet size for the no-op migrate_schemas timing")
    parser.add_argument("--sites-existing", type=int, help="fleet size for the provisioning-at-scale median")
    parser.add_argument("--fast-rounds", type=int, help="runs of `migrate_schemas --noinput` (fast path)")
    parser.add_argument("--all-rounds", type=int, help="runs of `migrate_schemas --noinput --all` (plain path)")
    parser.add_argument("--rounds", type=int, help="wrk rounds per server, the two servers alternating")
    parser.add_argument("--wrk-seconds", type=int, help="length of one wrk round")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--index-items", type=int, help="items indexed through the platform's indexer (timed)")
    parser.add_argument("--site-items", type=int, help="items in the benchmarked site's search index")
    parser.add_argument("--library-items", type=int, help="items in the central resource library")
    parser.add_argument("--publishes", type=int, help="publishes timed until visible at the edge")
    parser.add_argument("--backup-pages", type=int, help="pages of the site backed up and restored")
    parser.add_argument("--backup-images", type=int, help="images of the site backed up and restored")
    parser.add_argument("--fold-pages", type=int, help="pages of the township folded into its county")
    parser.add_argument("--fold-images", type=int, help="images of the township folded into its county")
    parser.add_argument("--syndications", type=int, help="items distributed to every site, each timed until visible")
    parser.add_argument("--rescan-sites", type=int, help="sites of the province re-scanned for 错敏词")
    parser.add_argument("--rescan-pages", type=int, help="live articles seeded in each of those sites")
    parser.add_argument("--rescan-terms", type=int, help="generated terms added to the starter list")
    parser.add_argument(
        "--only",
        choices=["provisioning", "migrate", "pages", "mailbox", "search", "edge", "scale", "lifecycle", "monitoring",
                 "syndication", "analytics", "rescan"],
        action="append",
        help="run only these sections (repeatable); the default runs all",
    )
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    check_db_name(args.db)
    if args.reuse_db:
        args.keep_db = True
    return args


def emit(**record):
    """One machine-readable line on stdout."""
    print(json.dumps(record, ensure_ascii=False), flush=True)


def figure(name, value, unit, digits=3, goal=None, **extra):
    """Emit one figure; with a goal (comparison, target), also whether it is met."""
    record = {"figure": name, "value": round(value, digits), "unit": unit, **extra}
    if goal is not None:
        comparison, target = goal
        record.update(goal=f"{comparison} {target}", met=COMPARISONS[comparison](value, target))
    emit(**record)


def median_figure(name, values, unit, digits=3, goal=None, **extra):
    """Emit the median of `values` with n, min and max; return the median."""
    value = statistics.median(values)
    spread = {"n": len(values), "min": round(min(values), digits), "max": round(max(values), digits)}
    figure(name, value, unit, digits, goal, **spread, **extra)
    return value


def bench_provisioning(django, args):
    """(1) Median provisioning time: from a spare schema, by direct clone, by migrating; interleaved in one process."""
    say(
        f"provisioning {args.clone_sites} sites from a spare schema, {args.clone_sites} by cloning directly "
        f"and {args.migrate_sites} by migrating, interleaved"
    )
    timeout = (
        STEP_OVERHEAD_S + 2 * args.clone_sites * PROVISION_TIMEOUT_S["clone"]
        + args.migrate_sites * PROVISION_TIMEOUT_S["migrate"]
    )
    result = django.step(
        "provision", "--spare", str(args.clone_sites), "--clone", str(args.clone_sites),
        "--migrate", str(args.migrate_sites), timeout=timeout,
    )
    existing = result["sites_before"]
    spare = median_figure(
        "provision_spare_median", result["spare"], "s", goal=CLONE_MEDIAN_GOAL_S, sites_existing=existing
    )
    clone = median_figure(
        "provision_clone_median", result["clone"], "s", goal=CLONE_MEDIAN_GOAL_S, sites_existing=existing
    )
    migrate = median_figure("provision_migrate_median", result["migrate"], "s", sites_existing=existing)
    figure("provision_migrate_over_spare", migrate / spare, "x", 1, goal=CLONE_SPEEDUP_GOAL)
    figure("provision_migrate_over_clone", migrate / clone, "x", 1)


def populate(django, total):
    """Grow the fleet to `total` sites by cloning, in one process; return the fleet size."""
    say(f"growing the fleet to {total} sites")
    result = django.step(
        "populate", "--total", str(total), timeout=STEP_OVERHEAD_S + total * PROVISION_TIMEOUT_S["clone"]
    )
    say(f"  {result['provisioned']} sites provisioned in {result['elapsed_s']:.0f} s; fleet: {result['sites']}")
    return result["sites"]


def pending_schemas(output):
    """How many schemas the fast path of migrate_schemas said it had to migrate."""
    match = FAST_PATH_SUMMARY.search(output)
    if match is None:
        raise BenchError(f"migrate_schemas printed no summary line (expected {FAST_PATH_SUMMARY.pattern!r}):\n{output}")
    return int(match.group(1))


def bench_fleet_migrate(django, args):
    """(2) No-op `migrate_schemas` over the whole fleet: fast path vs django-tenants' plain path, alternating."""
    tenants = populate(django, args.tenants)
    timeout = STEP_OVERHEAD_S + tenants * MIGRATE_TIMEOUT_PER_TENANT_S
    # Untimed: brings every schema up to date in case migration files changed since provisioning,
    # so that the timed runs below really have nothing to do.
    django.manage(*MIGRATE_COMMANDS["fast"], timeout=timeout)
    rounds = {"fast": args.fast_rounds, "all": args.all_rounds}
    runs = {"fast": [], "all": []}
    for round_index in range(max(rounds.values())):
        for path, command in MIGRATE_COMMANDS.items():
            if round_index < rounds[path]:
                elapsed, output = django.manage(*command, timeout=timeout)
                if path == "fast" and pending_schemas(output):
                    raise BenchError("migration files changed during the benchmark; its no-op timings are void")
                runs[path].append(elapsed)
                say(f"  manage.py {' '.join(command)}: {elapsed:.1f} s ({tenants} sites)")
    fast = median_figure("fleet_migrate_noop_fast_median", runs["fast"], "s", tenants=tenants)
    if not runs["all"]:  # --all-rounds 0: at thousands of sites the plain path alone takes many minutes
        return
    plain = median_figure("fleet_migrate_noop_all_median", runs["all"], "s", tenants=tenants)
    figure("fleet_migrate_noop_all_over_fast", plain / fast, "x", 1, tenants=tenants)


def bench_import(django, args):
    """(1c) One region import of --import-sites new sites, timed whole: seconds a site."""
    say(f"importing {args.import_sites} sites as one region file (import_rows)")
    result = django.step(
        "import", "--sites", str(args.import_sites),
        timeout=STEP_OVERHEAD_S + args.import_sites * PROVISION_TIMEOUT_S["clone"],
    )
    figure(
        "import_regions_per_site", result["elapsed_s"] / result["sites"], "s", goal=IMPORT_PER_SITE_GOAL_S,
        sites=result["sites"], elapsed_s=round(result["elapsed_s"], 1), sites_existing=result["sites_before"],
    )


def bench_provisioning_at_scale(django, args):
    """(1b) Median clone provisioning time once the fleet has --sites-existing sites."""
    existing = populate(django, args.sites_existing)
    say(f"provisioning {args.clone_sites} sites by cloning next to {existing} existing ones")
    result = django.step(
        "provision", "--clone", str(args.clone_sites), "--migrate", "0",
        timeout=STEP_OVERHEAD_S + args.clone_sites * PROVISION_TIMEOUT_S["clone"],
    )
    median_figure(
        "provision_clone_median_at_scale", result["clone"], "s", goal=CLONE_MEDIAN_GOAL_S, sites_existing=existing
    )


def measure_rps(servers, host, args, path="/"):
    """Alternate wrk rounds between the servers (AB, BA, AB...); return each server's requests/s per round."""
    for server in servers.values():
        wrk(server.port, host, WARMUP_WRK_SECONDS, args.connections, path)  # not counted
    rates = {name: [] for name in servers}
    for round_index in range(args.rounds):
        order = list(servers) if round_index % 2 == 0 else list(reversed(servers))
        for name in order:
            rates[name].append(wrk(servers[name].port, host, args.wrk_seconds, args.connections, path))
        say(f"  round {round_index + 1}: " + ", ".join(f"{name} {r[-1]:.0f} req/s" for name, r in rates.items()))
    return rates


def bench_requests(django, host, article_path, args, stack):
    """(3) Requests/s of a site's home page and an article (full renders, no edge) with tenant routing
    vs a fixed-site baseline, in the same run."""
    say(f"serving http://{host}/ and {article_path} from two gunicorns ({args.workers} sync workers each)")
    servers = {}
    for name, settings in SERVER_SETTINGS.items():
        servers[name] = Gunicorn(django, settings, args.workers, BENCH_FIXED_HOST=host)
        stack.callback(servers[name].stop)
    bodies = {name: server.wait_ready(host) for name, server in servers.items()}
    if bodies["tenancy"] != bodies["bypass"]:
        raise BenchError("the two servers rendered different pages; comparing them would be meaningless")
    if fetch(servers["tenancy"].port, host, article_path) != fetch(servers["bypass"].port, host, article_path):
        raise BenchError("the two servers rendered different article pages")
    load = {"wrk": f"-t1 -c{args.connections} -d{args.wrk_seconds}s", "workers": args.workers}
    for page, path in (("page", "/"), ("article", article_path)):
        rates = measure_rps(servers, host, args, path)
        tenancy = median_figure(f"{page}_rps_tenancy_median", rates["tenancy"], "req/s", 1, path=path, **load)
        bypass = median_figure(f"{page}_rps_bypass_median", rates["bypass"], "req/s", 1, path=path, **load)
        paired = statistics.median(t / b for t, b in zip(rates["tenancy"], rates["bypass"], strict=True))
        figure(
            f"{page}_rps_tenancy_over_bypass", tenancy / bypass, "ratio", 3, goal=TENANCY_RPS_RATIO_GOAL,
            paired_rounds_median=round(paired, 3),
        )
    for name, settings in SERVER_SETTINGS.items():
        result = django.step(
            "queries", "--host", host, timeout=STEP_OVERHEAD_S, settings=settings, BENCH_FIXED_HOST=host
        )
        figure(f"page_queries_{name}", result["queries_per_request"], "queries/request", 2, n=result["requests"])


def bench_analytics(django, host, article_path, args, stack):
    """Page views counted per second by the beacon (one insert each, as a browser on the site's page sends
    it) vs renders of the page it counts."""
    server = Gunicorn(django, "bench_settings", args.workers)
    stack.callback(server.stop)
    server.wait_ready(host)
    status, body = fetch(server.port, host, article_path)
    page_id = re.search(rb'data-page-id="(\d+)"', body)
    if status != 200 or page_id is None:
        raise BenchError(f"{host}{article_path} answered {status} without a page id for the beacon")
    beacon = f"/_count/{int(page_id.group(1))}/"
    say(f"analytics: POST {beacon} (the beacon) vs GET {article_path} (the page), {args.workers} sync workers")
    browser = (f"Origin: http://{host}", "Sec-Fetch-Site: same-origin")  # the beacon from the site's own page
    wrk_post(server.port, host, beacon, "", "", WARMUP_WRK_SECONDS, args.connections, browser)  # not measured
    beacons, p99s, pages = [], [], []
    for round_index in range(args.rounds):
        rate, p99 = wrk_post(server.port, host, beacon, "", "", args.wrk_seconds, args.connections, browser)
        beacons.append(rate)
        p99s.append(p99)
        pages.append(wrk(server.port, host, args.wrk_seconds, args.connections, article_path))
        say(f"  round {round_index + 1}: {rate:.0f} views counted/s (p99 {p99:.0f} ms), {pages[-1]:.0f} pages/s")
    wrk_flags = f"-t1 -c{args.connections} -d{args.wrk_seconds}s"
    counted = median_figure("analytics_views_counted_per_s_median", beacons, "req/s", 1, wrk=wrk_flags,
                            workers=args.workers)
    median_figure("analytics_beacon_p99_median", p99s, "ms", 1, wrk=wrk_flags, workers=args.workers)
    rendered = median_figure("analytics_page_renders_per_s_median", pages, "req/s", 1, path=article_path,
                             wrk=wrk_flags, workers=args.workers)
    figure("analytics_beacon_over_page_render", counted / rendered, "ratio", 2)


MAILBOX_PATH = "/hdjl/ldxx/"


def bench_mailbox(django, host, args, stack):
    """(4) Citizen messages accepted per second through gunicorn, and p99 latency (captcha answers accepted)."""
    say(f"posting messages to http://{host}{MAILBOX_PATH} ({args.workers} sync workers)")
    server = Gunicorn(django, "bench_mailbox_settings", args.workers)
    stack.callback(server.stop)
    server.wait_ready(host)
    cookie, token = csrf_form(server.port, host, MAILBOX_PATH)
    body = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "category": "enquiry", "subject": "基准测试留言",
        "body": "这是基准测试写入的留言，用于测量每秒可受理的留言数。", "phone": "028-12345678",
        "allow_public": "on", "captcha_0": "bench", "captcha_1": "PASSED",
    })
    wrk_post(server.port, host, MAILBOX_PATH, body, cookie, WARMUP_WRK_SECONDS, args.connections)  # not counted
    rates, p99s = [], []
    for round_index in range(args.rounds):
        rate, p99 = wrk_post(server.port, host, MAILBOX_PATH, body, cookie, args.wrk_seconds, args.connections)
        rates.append(rate)
        p99s.append(p99)
        say(f"  round {round_index + 1}: {rate:.0f} messages/s, p99 {p99:.0f} ms")
    wrk_flags = f"-t1 -c{args.connections} -d{args.wrk_seconds}s"
    median_figure("mailbox_messages_per_s_median", rates, "messages/s", 1, wrk=wrk_flags, workers=args.workers)
    median_figure("mailbox_p99_latency_median", p99s, "ms", 1, wrk=wrk_flags, workers=args.workers)
    stored = django.step("count_messages", "--host", host, timeout=STEP_OVERHEAD_S)
    say(f"  {stored['messages']} messages stored in the site's schema")


def bench_search(django, host, args, stack):
    """(5) Indexing throughput, then p50/p95 latency of site and province-wide search through gunicorn."""
    say(f"search: indexing {args.index_items} items, then {args.site_items:,} in the site index and "
        f"{args.library_items:,} in the central library")
    data = django.step(
        "search_data", "--index-items", str(args.index_items), "--site-items", str(args.site_items),
        "--library-items", str(args.library_items), timeout=STEP_OVERHEAD_S + args.library_items // 2000,
    )
    figure("search_indexing_items_per_s", data["indexed"] / data["indexing_s"], "items/s", 1, n=data["indexed"])
    server = Gunicorn(django, "bench_settings", args.workers)
    stack.callback(server.stop)
    server.wait_ready(host)
    runs = [
        ("site", "site", data["site_items"], data["queries"]),
        ("province", "province", data["library_items"], data["queries"]),
        # A word in 10% of the library, alone and with another word (the ranking cap at work).
        ("province_common", "province", data["library_items"], data["common_queries"]),
    ]
    for name, scope, items, queries in runs:
        latencies = []
        for query in queries:
            path = "/search/?" + urllib.parse.urlencode({"q": query, "scope": scope})
            started = time.perf_counter()
            status, _ = fetch(server.port, host, path, timeout=30)
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise BenchError(f"{path} answered {status}")
        latencies.sort()
        p50 = latencies[len(latencies) // 2]
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        goal = SEARCH_P95_GOAL_MS[name]
        figure(f"search_{name}_p50", p50, "ms", 1, n=len(latencies), items=items)
        figure(f"search_{name}_p95", p95, "ms", 1, goal=("<=", goal), n=len(latencies), items=items)
        say(f"  {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(latencies)} queries")


def bench_edge(django, host, args, stack):
    """(6) Edge-cache hits vs nginx serving the same bytes; publish-to-visible latency at the edge."""
    say("edge: Varnish (deploy/varnish/default.vcl) in front of gunicorn, nginx serving the same page as a file")
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-edge-")))
    # Gunicorn purges the edge after each publish: the edge's port is chosen first.
    edge_port = free_port()
    purge_location = f"http://{LOCALHOST}:{edge_port}"
    server = Gunicorn(django, "bench_settings", args.workers, EDGE_CACHE_PURGE_LOCATIONS=purge_location)
    stack.callback(server.stop)
    edge = varnish(workdir, server.port, port=edge_port)
    stack.callback(edge.stop)
    server.wait_ready(host)
    fetch(edge.port, host)
    status, body = fetch(edge.port, host)
    if status != 200:
        raise BenchError(f"the edge answered {status} for {host}")
    static = nginx_static(workdir, body, workers=os.cpu_count())
    stack.callback(static.stop)
    static_status, static_body = fetch(static.port, host)
    if static_body != body:
        raise BenchError(f"nginx does not serve the same bytes as the edge ({static_status}):\n{static.log_tail()}")
    hits, files, ratios = [], [], []
    for round_index in range(args.rounds):
        pair = [(edge.port, hits), (static.port, files)]
        for port, rates in pair if round_index % 2 == 0 else reversed(pair):
            rates.append(wrk(port, host, args.wrk_seconds, args.connections))
        ratios.append(hits[-1] / files[-1])
        say(f"  round {round_index + 1}: edge hit {hits[-1]:.0f} req/s, nginx file {files[-1]:.0f} req/s")
    wrk_flags = f"-t1 -c{args.connections} -d{args.wrk_seconds}s"
    hit = median_figure("edge_hit_rps_median", hits, "req/s", 1, wrk=wrk_flags, bytes=len(body))
    static_rps = median_figure("edge_static_file_rps_median", files, "req/s", 1, wrk=wrk_flags, bytes=len(body))
    figure("edge_hit_over_static_file", hit / static_rps, "ratio", 3, goal=(">=", 0.8),
           paired_rounds_median=round(statistics.median(ratios), 3))
    data = django.step(
        "edge_publish", "--host", host, "--edge-port", str(edge.port), "--rounds", str(args.publishes),
        timeout=STEP_OVERHEAD_S + args.publishes * 30, EDGE_CACHE_PURGE_LOCATIONS=purge_location,
    )
    latencies = data["latencies_ms"]
    median_figure("edge_publish_visible_median", latencies, "ms", 1, goal=("<=", 1000))
    figure("edge_publish_visible_max", max(latencies), "ms", 1, goal=("<=", 1000), n=len(latencies))


SCALE_WARM_PASSES = 5
SCALE_WARM_MAX_S = 600


def bench_scale(django, args, stack):
    """(7) Many sites on one machine: latency over all sites vs 10, worker memory, database and catalog size."""
    populate(django, args.tenants)
    fleet = django.step("hosts", timeout=STEP_OVERHEAD_S)
    hosts, few = fleet["hosts"], fleet["hosts"][:10]
    figure("scale_database_size", fleet["database_bytes"] / 2**20, "MiB", 1, tenants=len(hosts))
    figure("scale_catalog_size", fleet["catalog_bytes"] / 2**20, "MiB", 1, tenants=len(hosts),
           relations=fleet["relations"])
    server = Gunicorn(django, "bench_settings", args.workers)
    stack.callback(server.stop)
    server.wait_ready(few[0])
    say(f"scale: {len(hosts)} sites; touching 10 of them, then all")
    for _ in range(20):  # each worker serves each of the 10 several times
        for host in few:
            fetch(server.port, host)
    rss_few = max(worker_rss_mib(server))
    backends_few = backend_private_mib(django.database)
    passes = []
    for _ in range(3):  # one after another: each request to whichever worker is free
        started = time.perf_counter()
        _touch_all(server, hosts)
        passes.append(time.perf_counter() - started)
        say(f"  every site's home page fetched once more in {passes[-1]:.0f} s")
    # The first pass met every site new to both workers' connections; the third, mostly known.
    figure("scale_first_pass_per_site", passes[0] / len(hosts) * 1000, "ms", 1, tenants=len(hosts))
    figure("scale_third_pass_per_site", passes[2] / len(hosts) * 1000, "ms", 1, tenants=len(hosts))
    rss_all = max(worker_rss_mib(server))
    backends_all = backend_private_mib(django.database)
    figure("scale_worker_rss_after_10", rss_few, "MiB", 1)
    figure("scale_worker_rss_after_all", rss_all, "MiB", 1, tenants=len(hosts))
    figure("scale_worker_rss_all_over_10", rss_all / rss_few, "ratio", 3, goal=("<=", 1.2))
    if backends_few and backends_all:
        # The connections' PostgreSQL backends: their catalog caches grow with the sites they served.
        figure("scale_db_backend_private_after_10", max(backends_few), "MiB", 1, backends=len(backends_few))
        figure("scale_db_backend_private_after_all", max(backends_all), "MiB", 1, backends=len(backends_all),
               tenants=len(hosts))
    else:
        say("  PostgreSQL's backends cannot be read from /proc here: their memory is not measured")
    # After three passes about one site in eight is still new to a given worker (it got none
    # of that site's three requests). Latency is compared warm, so more passes, concurrently.
    seconds = min(SCALE_WARM_MAX_S, math.ceil(SCALE_WARM_PASSES * passes[2] / args.workers))
    rps, _, _ = wrk_hosts(server.port, hosts, seconds, args.workers)
    say(f"  {rps * seconds / len(hosts):.1f} more passes over every site in {seconds} s")
    _scale_latency(server, args, hosts, few)


def _touch_all(server, hosts):
    for host in hosts:
        status, _ = fetch(server.port, host, timeout=30)
        if status != 200:
            raise BenchError(f"http://{host}/ answered {status}")


def _scale_latency(server, args, hosts, few):
    """p50/p99 of wrk round-robin over 10 sites and over all, alternating, and their ratios."""
    results = {"few": [], "all": []}
    for round_index in range(args.rounds):
        order = [("few", few), ("all", hosts)]
        for name, targets in order if round_index % 2 == 0 else reversed(order):
            results[name].append(wrk_hosts(server.port, targets, args.wrk_seconds, args.connections))
        say(f"  round {round_index + 1}: p50 {results['few'][-1][1]:.1f} / {results['all'][-1][1]:.1f} ms, "
            f"p99 {results['few'][-1][2]:.1f} / {results['all'][-1][2]:.1f} ms (10 / {len(hosts)} sites)")
    wrk_flags = f"-t1 -c{args.connections} -d{args.wrk_seconds}s --latency"
    for label, index in (("p50", 1), ("p99", 2)):
        few_value = median_figure(f"scale_{label}_10_sites_median", [r[index] for r in results["few"]], "ms",
                                  1, wrk=wrk_flags)
        all_value = median_figure(f"scale_{label}_all_sites_median", [r[index] for r in results["all"]],
                                  "ms", 1, wrk=wrk_flags, tenants=len(hosts))
        figure(f"scale_{label}_all_over_10", all_value / few_value, "ratio", 3, goal=("<=", 1.1))


def bench_lifecycle(django, args, stack):
    """Backup, restore (as a new site and over itself) of a large site, and folding a township, timed once each."""
    files = Path(tempfile.mkdtemp(prefix="govsites-bench-files-"))
    stack.callback(shutil.rmtree, files, ignore_errors=True)
    say(f"lifecycle: a site of {args.backup_pages} pages and {args.backup_images} images; "
        f"a township of {args.fold_pages} pages folded")
    budget = STEP_OVERHEAD_S + (args.backup_pages + args.fold_pages) * 0.2 + args.backup_images * 0.1
    result = django.step(
        "lifecycle", "--pages", str(args.backup_pages), "--images", str(args.backup_images),
        "--fold-pages", str(args.fold_pages), "--fold-images", str(args.fold_images), timeout=int(budget) * 3,
        MEDIA_ROOT=str(files / "media"), PRIVATE_MEDIA_ROOT=str(files / "private-media"),
        SITE_BACKUP_ROOT=str(files / "backups"),
    )
    size = {"pages": args.backup_pages, "images": args.backup_images}
    figure("site_backup_time", result["backup_s"], "s", 2, n=1, **size)
    figure("site_backup_size", result["backup_bytes"] / 1e6, "MB", 1, n=1, rows=result["backup_rows"],
           files=result["backup_files"], **size)
    figure("site_restore_as_new_time", result["restore_new_s"], "s", 2, n=1, **size)
    figure("site_restore_over_time", result["restore_over_s"], "s", 2, n=1, **size)
    figure("township_fold_time", result["fold_s"], "s", 2, n=1, pages=result["fold_pages"],
           images=result["fold_images"], redirects=result["fold_redirects"])


DASHBOARD_REQUESTS = 20
CRAWL_SITES = 40


def bench_monitoring(django, args, stack):
    """Indicators of the whole fleet recomputed (timed), then the console's dashboard through gunicorn."""
    populate(django, args.tenants)
    result = django.step("indicators", timeout=STEP_OVERHEAD_S + args.tenants * 2)
    sites = result["sites"]
    figure("indicators_recompute_all", result["elapsed_s"], "s", 2, n=1, sites=sites)
    figure("indicators_recompute_per_site", result["elapsed_s"] / max(sites, 1) * 1000, "ms", 1, sites=sites)
    server = Gunicorn(django, "bench_settings", args.workers)
    stack.callback(server.stop)
    server.wait_ready(fleet_host(django))
    cookie = f"sessionid={result['session']}"
    times = []
    for index in range(DASHBOARD_REQUESTS + 2):
        started = time.perf_counter()
        status, body = fetch(server.port, "localhost", "/health/", timeout=30, headers={"Cookie": cookie})
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or "网站监测".encode() not in body:
            raise BenchError(f"the dashboard answered {status}")
        if index >= 2:  # the first two warm each worker up
            times.append(elapsed)
    median_figure("dashboard_load_median", times, "ms", 1, goal=("<=", 1000), sites=sites)
    figure("dashboard_load_max", max(times), "ms", 1, goal=("<=", 1000), n=len(times), sites=sites)
    # The link checker through the same gunicorn: with the default politeness, and without any pause.
    for label, delay in (("polite", 0.5), ("no_pause", 0.0)):
        crawl = django.step("crawl", "--sites", str(min(CRAWL_SITES, sites)), "--port", str(server.port),
                            "--delay", str(delay), timeout=STEP_OVERHEAD_S + CRAWL_SITES * 60)
        if crawl["broken"]:
            raise BenchError(f"the crawl found {crawl['broken']} broken links on the bench sites")
        figure(f"crawl_pages_per_s_{label}", crawl["pages"] / crawl["elapsed_s"], "pages/s", 1, n=1,
               sites=crawl["sites"], pages=crawl["pages"], links_checked=crawl["checked"], delay_s=delay,
               concurrency=8, workers=args.workers)
    bench_tamper(django, args, stack, sites)


def bench_tamper(django, args, stack, sites):
    """The tamper probe over every site of the fleet through Varnish in front of a gunicorn of its own:
    the first run (every page read from the app too) and the second (a quiet fleet: public copies only)."""
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-tamper-")))
    edge_port = free_port()
    server = Gunicorn(django, "bench_settings", args.workers, EDGE_CACHE_PURGE_LOCATIONS=f"http://{LOCALHOST}:{edge_port}")
    stack.callback(server.stop)
    edge = varnish(workdir, server.port, port=edge_port)
    stack.callback(edge.stop)
    server.wait_ready(fleet_host(django))
    result = django.step("tamper", "--sites", str(sites), "--port", str(server.port), "--edge-port", str(edge.port),
                         timeout=STEP_OVERHEAD_S + sites * 10)
    if result["incidents"]:
        raise BenchError(f"the tamper probe raised {result['incidents']} incidents on the quiet bench fleet")
    for label, run in zip(("first", "steady"), result["runs"], strict=True):
        pages = run["ok"] + run["stale"] + run["incident"] + run["unreadable"]
        if run["unreadable"]:
            raise BenchError(f"the tamper probe could not read {run['unreadable']} of {pages} pages")
        figure(f"tamper_run_{label}", run["elapsed_s"], "s", 2, n=1, sites=result["sites"], pages=pages,
               workers=args.workers, concurrency=16)
        figure(f"tamper_pages_per_s_{label}", pages / run["elapsed_s"], "pages/s", 1, n=1, sites=result["sites"])


WORKER_START_TIMEOUT_S = 60
# "本轮处理 200 个站点，送达 200 条，失败 0 条，用时 3.21 秒": one line per pass of the worker.
WORKER_PASS = re.compile(r"本轮处理 (\d+) 个站点，送达 (\d+) 条，失败 (\d+) 条，用时 ([\d.]+) 秒")


class SyndicationWorker:
    """`manage.py syndication_worker`, as systemd runs it, with its output in a temporary file."""

    def __init__(self, django):
        self.log = tempfile.NamedTemporaryFile(prefix="bench-syndication-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "syndication_worker"], cwd=ROOT, env=django.env(),
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + WORKER_START_TIMEOUT_S
        while "已启动" not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"the syndication worker did not start:\n{self.output()[-3000:]}")
            time.sleep(0.1)

    def output(self):
        return Path(self.log.name).read_text(errors="replace")

    def passes(self):
        return [(int(s), int(a), int(f), float(t)) for s, a, f, t in WORKER_PASS.findall(self.output())]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


def bench_syndication(django, args, stack):
    """One item distributed by the province to every site below: seconds from its commit until all show it.

    The worker delivers (woken by NOTIFY); this process asks every receiving site's copy through
    gunicorn, over and over, until each answers 200. A site counts as showing it at the first 200.
    """
    populate(django, args.tenants)
    server = Gunicorn(django, "bench_settings", args.workers)
    stack.callback(server.stop)
    server.wait_ready(fleet_host(django))
    worker = SyndicationWorker(django)
    stack.callback(worker.stop)
    visible, delivered, receivers = [], [], 0
    for index in range(args.syndications):
        data = django.step("syndicate", "--round", str(index + 1), timeout=STEP_OVERHEAD_S)
        pending, receivers = set(data["hosts"]), len(data["hosts"])
        deadline = time.time() + STEP_OVERHEAD_S + receivers
        while pending and time.time() < deadline:
            for host in sorted(pending):
                if fetch(server.port, host, data["path"], timeout=30)[0] == 200:
                    pending.discard(host)
        if pending:
            raise BenchError(f"{len(pending)} of {receivers} sites did not show the item, e.g. {sorted(pending)[0]}")
        visible.append(time.time() - data["committed_at"])
        last = django.step("delivered", "--distribution", str(data["distribution"]), timeout=STEP_OVERHEAD_S)
        delivered.append(last["last_delivered_at"] - data["committed_at"])
        say(f"syndication {index + 1}: delivered to all {receivers} sites {delivered[-1]:.2f} s after the commit, "
            f"seen on all through gunicorn after {visible[-1]:.2f} s")
    # Delivered: the last site's copy committed (database clock). Visible: the last site answered 200 to the
    # polling here, which sweeps the sites one after another (so it may lag by up to one sweep).
    median_figure("syndication_delivered_all_median", delivered, "s", 2, sites=receivers)
    median_figure("syndication_visible_all_median", visible, "s", 2, sites=receivers, workers=args.workers)
    delivering = [seconds for sites, applied, failed, seconds in worker.passes() if sites >= receivers]
    if delivering:
        median_figure("syndication_worker_pass_median", delivering, "s", 2, sites=receivers)
        figure("syndication_worker_per_site", statistics.median(delivering) / receivers * 1000, "ms", 1,
               sites=receivers)


def bench_rescan(django, args):
    """The 错敏词 archive re-scan of a province, as the operator (or the nightly timer) runs it: one
    `manage.py scan_wording` over every site, timed whole; every planted finding must be found."""
    sites = populate(django, args.rescan_sites)
    say(f"rescan: seeding {args.rescan_pages} live articles in each of {sites} sites, "
        f"{args.rescan_terms} generated terms")
    data = django.step("rescan_data", "--pages", str(args.rescan_pages), "--terms", str(args.rescan_terms),
                       timeout=STEP_OVERHEAD_S + sites * args.rescan_pages // 500)
    say(f"  {data['pages']:,} pages seeded in {data['elapsed_s']:.0f} s, {data['planted']} planted findings, "
        f"{data['terms']} terms")
    # Twice the goal's time at its rate, so a slow scan is measured instead of cut off.
    budget = STEP_OVERHEAD_S + 2 * sites * args.rescan_pages / RESCAN_RATE_GOAL[1]
    # The machine may be shared: its load when the scan starts goes with the figure.
    load = round(os.getloadavg()[0], 1)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed, output = django.manage("scan_wording", timeout=int(budget))
    # The command's CPU time with its worker processes' (each waited for), PostgreSQL's not included.
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
    say(f"  {output.strip().splitlines()[-1]} in {elapsed:.0f} s")
    result = django.step("rescan_result", timeout=STEP_OVERHEAD_S)
    if not result["finished"] or result["sites"] != result["sites_total"]:
        raise BenchError(f"the re-scan did not finish every site: {result}")
    items, findings = result["items"], result["findings"]
    size = {"items": items, "sites": result["sites"], "findings": findings, "planted": data["planted"],
            "terms": data["terms"], "workers": os.cpu_count(), "load_before": load, "cpu_s": round(cpu, 1)}
    # The goal is for a province; a smaller run (--quick) is mostly the command's start-up.
    province = items >= RESCAN_GOAL_ITEMS
    figure("wording_rescan_items_per_s", items / elapsed, "items/s", 0, goal=RESCAN_RATE_GOAL if province else None,
           **size)
    figure("wording_rescan_time", elapsed, "s", 1, goal=RESCAN_GOAL_S if province else None, kinds=result["kinds"],
           **size)
    if findings != data["planted"]:
        raise BenchError(f"the re-scan found {findings} findings, {data['planted']} were planted: {result}")


def fleet_host(django):
    return django.step("hosts", timeout=STEP_OVERHEAD_S)["hosts"][0]


def reproduce_command(argv):
    return "make bench" + (f" BENCH_ARGS={shlex.quote(shlex.join(argv))}" if argv else "")


def run(args):
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed: `make bench` installs Debian's wrk, or run apt-get install wrk")
    started = time.perf_counter()
    django = Django(args.db)
    with ExitStack() as stack:
        if args.reuse_db and database_exists(args.db):
            say(f"reusing database {args.db} (--reuse-db)")
        else:
            say(f"creating database {args.db}")
            create_database(args.db)
        if args.keep_db:
            stack.callback(say, f"kept database {args.db} (--keep-db): drop it with dropdb {args.db}")
        else:
            stack.callback(drop_database, args.db)
            stack.callback(say, f"dropping database {args.db}")
        django.manage("migrate_schemas", "--noinput", "-v", "0", timeout=STEP_OVERHEAD_S)
        say("building the site template and the base sites (province, city, the page's county)")
        base = django.step("base", timeout=STEP_OVERHEAD_S * 5)
        figure("provision_template_build", base["template_build_s"], "s", n=1)
        sections = set(args.only or ["provisioning", "migrate", "pages", "mailbox", "search", "edge", "scale",
                                     "lifecycle", "monitoring", "syndication", "analytics", "rescan"])
        if "provisioning" in sections:
            bench_provisioning(django, args)
            bench_import(django, args)
        if "migrate" in sections:
            bench_fleet_migrate(django, args)
        if "provisioning" in sections:
            bench_provisioning_at_scale(django, args)
        if "pages" in sections:
            bench_requests(django, base["host"], base["article_path"], args, stack)
        if "analytics" in sections:
            bench_analytics(django, base["host"], base["article_path"], args, stack)
        if "mailbox" in sections:
            bench_mailbox(django, base["host"], args, stack)
        if "search" in sections:
            bench_search(django, base["host"], args, stack)
        if "edge" in sections:
            bench_edge(django, base["host"], args, stack)
        if "scale" in sections:
            bench_scale(django, args, stack)
        if "lifecycle" in sections:
            bench_lifecycle(django, args, stack)
        if "monitoring" in sections:
            bench_monitoring(django, args, stack)
        if "syndication" in sections:
            bench_syndication(django, args, stack)
        if "rescan" in sections:
            bench_rescan(django, args)
    figure("bench_total", time.perf_counter() - started, "s", 0)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C: servers stop and the database is dropped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    options = {name: value for name, value in vars(args).items() if name != "quick"}
    emit(
        command=reproduce_command(argv), revision=source_revision(), date=time.strftime("%Y-%m-%d %H:%M %Z"),
        cpus=os.cpu_count(), **options,
    )
    try:
        run(args)
    except BenchError as exc:
        say(f"FAILED: {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
