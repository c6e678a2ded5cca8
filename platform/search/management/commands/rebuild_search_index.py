"""Rebuild the search index of every site (or some) and their rows in the central resource library.

For existing content (after an upgrade, or to repair); publishing keeps both current
by itself. Switches schema here, at the edge, one site at a time; a site that fails
is reported and the others go on.
"""

import traceback

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_tenants.utils import schema_context
from tqdm import tqdm

from search import index
from tenants.management.selection import only_these
from tenants.models import GovSite, SiteStatus


class Command(BaseCommand):
    help = "重建站内搜索索引和省级信息资源库（默认全部站点，--site 指定区划代码）"

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只重建这些区划代码的站点（可重复）")

    def handle(self, *args, **options):
        # Frozen sites keep what they had; a folded township's content lives in its county now.
        sites = GovSite.objects.exclude(status__in=[SiteStatus.ARCHIVED, SiteStatus.FOLDED]).order_by("region_code")
        if options["site"]:
            sites = only_these(sites, options["site"])
        failed = []
        for site in tqdm(list(sites), desc="重建索引", unit="站", disable=None):
            try:
                # Entered left to right: the count is taken inside the site's schema.
                with (
                    schema_context(site.schema_name),
                    transaction.atomic(),
                    tqdm(total=index.indexable_count(), desc=site.name, unit="条", leave=False, disable=None) as bar,
                ):
                    index.rebuild(site, progress=bar)
            except Exception:
                failed.append(site)
                self.stderr.write(f"{site}：重建失败\n{traceback.format_exc()}")
            finally:
                connection.set_schema_to_public()
        if failed:
            raise CommandError(f"{len(failed)} 个站点重建失败：" + "、".join(str(s) for s in failed))
        self.stdout.write(self.style.SUCCESS(f"已重建 {sites.count()} 个站点的搜索索引"))
