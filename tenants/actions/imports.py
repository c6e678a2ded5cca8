"""Import administrative regions from CSV (region_code,name,level,parent_code) as sites.

Idempotent: a region that already has a site is skipped. Parents are provisioned
before children whatever the file order. A bad row gets a message naming its line
and does not stop the good rows. Each site is one provisioning (actions.sites), with
its own transaction and audit row; the file itself is read by tenants.regions.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .. import regions
from ..models import GovSite
from .sites import provision_site


@dataclass
class ImportSummary:
    created: list = field(default_factory=list)  # ProvisionResult
    existing: list = field(default_factory=list)  # region codes
    errors: list = field(default_factory=list)  # (line, region_code, message)


def import_rows(rows, *, acting_user, source, progress=None):
    summary = ImportSummary()
    seen = set()
    order = {level: i for i, level in enumerate(regions.LEVELS)}
    valid = []
    for row in rows:
        if row.region_code in seen:
            summary.errors.append((row.line, row.region_code, "文件中重复出现的区划代码"))
            continue
        seen.add(row.region_code)
        if row.level not in order:
            levels = "/".join(regions.LEVELS)
            summary.errors.append((row.line, row.region_code, f"未知的级别“{row.level}”，应为 {levels}"))
            continue
        valid.append(row)
    valid.sort(key=lambda r: (order[r.level], r.region_code))
    existing = {site.region_code: site for site in GovSite.objects.all()}
    bar = progress(total=len(valid)) if progress else None
    for row in valid:
        if bar:
            bar.update(1)
        if row.region_code in existing:
            summary.existing.append(row.region_code)
            continue
        parent = None
        if row.parent_code:
            parent = existing.get(row.parent_code)
            if parent is None:
                message = f"上级区划 {row.parent_code} 既不在平台中也未在本文件中成功导入"
                summary.errors.append((row.line, row.region_code, message))
                continue
        try:
            result = provision_site(
                name=row.name, level=row.level, parent=parent, region_code=row.region_code,
                site_code=row.site_code or regions.default_site_code(row.region_code),
                acting_user=acting_user, source=source,
            )
        except ValidationError as exc:
            summary.errors.append((row.line, row.region_code, "；".join(exc.messages)))
            continue
        existing[row.region_code] = result.site
        summary.created.append(result)
    if bar:
        bar.close()
    return summary
