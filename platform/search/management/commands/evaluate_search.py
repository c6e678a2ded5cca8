"""Score Chinese search on the labelled evaluation set, next to Wagtail's stock backend.

Runs in one site's schema (default 锦江区, 510104, whose demo content the set is
written for); prints one JSON line per engine and, with -v 2, the missed queries.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tenants.utils import schema_context

from search import evaluation
from tenants.models import GovSite


class Command(BaseCommand):
    help = "用标注的评测集计算站内搜索的 precision@10 和 recall@10，并与 Wagtail 自带搜索对比"

    def add_arguments(self, parser):
        parser.add_argument("--site", default="510104", help="区划代码（评测集针对锦江区的演示内容）")

    def handle(self, *args, **options):
        site = GovSite.objects.filter(region_code=options["site"]).first()
        if site is None:
            raise CommandError(f"找不到区划代码为 {options['site']} 的站点")
        try:
            with schema_context(site.schema_name):
                engines = (("platform", evaluation.our_titles), ("wagtail_database", evaluation.wagtail_titles))
                for engine, titles in engines:
                    score = evaluation.evaluate(titles)
                    self.stdout.write(json.dumps({
                        "engine": engine, "cases": score.cases, "recall_at_10": round(score.recall, 3),
                        "precision_at_10": round(score.precision, 3), "missed_cases": len(score.misses),
                    }, ensure_ascii=False))
                    if options["verbosity"] > 1:
                        for query, missing in score.misses:
                            self.stdout.write(f"  {engine} 未找到 {query!r}: {'；'.join(missing)}")
        finally:
            connection.set_schema_to_public()
