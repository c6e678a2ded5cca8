"""Import administrative regions from CSV (region_code,name,level,parent_code) as sites.

Idempotent: a region that already has a site is skipped. Parents are provisioned
before children whatever the file order. A bad row gets a message naming its line
and does not stop the good rows. Each site is one provisioning (actions.sites), with
its own transaction and audit row; the file itself is read by tenants.regions.
While it provisions, another thread clones the spare schemas the next sites will
take (provisioning.spares.SpareMaker).
"""

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection

from .. import regions
from ..models import GovSite
from ..provisioning import spares, template
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
    maker = _spare_maker(sum(row.region_code not in existing for row in valid))
    with maker or nullcontext():
        for row in valid:
            if bar:
                bar.update(1)
            if row.region_code in existing:
                summary.existing.append(row.region_code)
                continue
            if maker:
                maker.site_started()
            _import_row(row, existing, summary, acting_user=acting_user, source=source)
    if bar:
        bar.close()
    return summary


# Threads cloning ahead. Each keeps a PostgreSQL backend busy (cloning is the database's work, not
# Python's), and the importing session clones too when no spare is ready yet: on two cores one
# thread already keeps both busy (measured: a second one was no faster).
CLONE_WORKERS = 1


def _spare_maker(new_sites):
    """A SpareMaker for `new_sites` sites, or None where one would not help.

    Inside a caller's transaction nothing is committed site by site, and a single
    site gains nothing from cloning ahead.
    """
    if new_sites < 2 or connection.in_atomic_block:
        return None
    return spares.SpareMaker(template.ensure_template(), new_sites, workers=CLONE_WORKERS)


def _import_row(row, existing, summary, *, acting_user, source):
    parent = None
    if row.parent_code:
        parent = existing.get(row.parent_code)
        if parent is None:
            message = f"上级区划 {row.parent_code} 既不在平台中也未在本文件中成功导入"
            summary.errors.append((row.line, row.region_code, message))
            return
    try:
        result = provision_site(
            name=row.name, level=row.level, parent=parent, region_code=row.region_code,
            site_code=row.site_code or regions.default_site_code(row.region_code),
            acting_user=acting_user, source=source,
        )
    except ValidationError as exc:
        summary.errors.append((row.line, row.region_code, "；".join(exc.messages)))
        return
    existing[row.region_code] = result.site
    summary.created.append(result)
