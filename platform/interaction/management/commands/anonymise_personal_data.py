"""Clear citizens' personal data older than PERSONAL_DATA_RETENTION_YEARS in every site (interaction/privacy.py).

Run weekly by govsites-anonymise.timer. Every site with a schema, folded ones too (their schema is
kept); each site that had something to clear gets one audit row with the counts. One site's
failure is reported and the others go on; the exit status says whether any failed.
"""

import traceback

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tenants.utils import schema_context

from interaction.privacy import anonymise_expired
from tenants import audit
from tenants.management.selection import only_these
from tenants.models import AuditAction, GovSite


class Command(BaseCommand):
    help = (f"清除超过保留期（PERSONAL_DATA_RETENTION_YEARS，现为 {settings.PERSONAL_DATA_RETENTION_YEARS} 年）"
            "的留言人和意见人个人信息")

    def add_arguments(self, parser):
        parser.add_argument("--site", action="append", default=[], help="只处理这些区划代码的站点（可重复）")

    def handle(self, *args, **options):
        sites = GovSite.objects.order_by("region_code")
        if options["site"]:
            sites = only_these(sites, options["site"], what="站点")
        failed, cleared = [], 0
        for site in list(sites):
            try:
                with schema_context(site.schema_name):
                    messages, feedback = anonymise_expired()
                if messages or feedback:
                    cleared += 1
                    audit.record(AuditAction.ANONYMISE_PERSONAL_DATA, acting_user=None, site=site,
                                 source=audit.cli_source(), messages=messages, feedback=feedback,
                                 years=settings.PERSONAL_DATA_RETENTION_YEARS)
            except Exception:
                failed.append(site)
                self.stderr.write(f"{site}：清除失败\n{traceback.format_exc()}")
            finally:
                connection.set_schema_to_public()
        self.stdout.write(f"已检查 {len(sites) - len(failed)} 个站点，其中 {cleared} 个站点清除了过期的个人信息")
        if failed:
            raise CommandError(f"{len(failed)} 个站点清除失败：" + "、".join(str(s) for s in failed))
