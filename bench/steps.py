"""The Django side of the benchmarks: one step per child process, started by bench/run.py.

Each step prints one JSON object on stdout (its measurements) and progress on stderr.
Run with DJANGO_SETTINGS_MODULE=bench_settings (or bench_bypass_settings) and
PYTHONPATH=<repo>:<repo>/platform:<repo>/bench; run.py sets both and PGDATABASE.

Provisioning is timed in-process around `tenants.actions.provision_site`, the call
the console, the CLI and the region import all make; process start-up is not part of it.
"""

import argparse
import json
import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tenants import actions  # noqa: E402
from tenants.imports import default_site_code  # noqa: E402
from tenants.models import GovSite, SpareSchema  # noqa: E402
from tenants.provisioning import spares, template  # noqa: E402

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
    return {"template_build_s": template_s, "host": county.primary_domain().domain}


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


def step_count_messages(args):
    """How many mailbox messages the benchmark's site holds (proof the posts were stored)."""
    from django_tenants.utils import schema_context

    from interaction.models import Message

    site = GovSite.objects.get(domains__domain=args.host)
    with schema_context(site.schema_name):
        return {"messages": Message.objects.count()}


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
    count = steps.add_parser("count_messages")
    count.add_argument("--host", required=True)
    count.set_defaults(run=step_count_messages)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    print(json.dumps(args.run(args)), flush=True)


if __name__ == "__main__":
    main()
