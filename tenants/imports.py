"""Import administrative regions from CSV (region_code,name,level,parent_code) as sites.

Idempotent: a region that already has a site is skipped. Parents are provisioned
before children whatever the file order. A bad row gets a message naming its line
and does not stop the good rows.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from . import actions, regions
from .models import GovSite

REQUIRED_COLUMNS = ("region_code", "name", "level", "parent_code")


class RegionFileError(Exception):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass
class RegionRow:
    line: int
    region_code: str
    name: str
    level: str
    parent_code: str
    site_code: str = ""


@dataclass
class ImportSummary:
    created: list = field(default_factory=list)  # ProvisionResult
    existing: list = field(default_factory=list)  # region codes
    errors: list = field(default_factory=list)  # (line, region_code, message)


def decode(data: bytes):
    """UTF-8 (with or without BOM) or GBK/GB18030, the encodings these files come in."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegionFileError("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV 文件")


def parse(text):
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RegionFileError(
            f"CSV 缺少列：{', '.join(missing)}。第一行应为 region_code,name,level,parent_code（可另有 site_code）；"
            f"实际为：{','.join(header) or '（空）'}"
        )
    reader.fieldnames = header
    rows = []
    for record in reader:
        clean = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if not any(clean.values()):
            continue
        rows.append(
            RegionRow(
                line=reader.line_num, region_code=clean["region_code"], name=clean["name"],
                level=clean["level"].lower(), parent_code=clean["parent_code"], site_code=clean.get("site_code", ""),
            )
        )
    return rows


def default_site_code(region_code):
    """网站标识码 for a region's portal: its code + 0001; a township's: county code + 1 + its 3 digits."""
    if len(region_code) == 9:
        return region_code[:6] + "1" + region_code[6:]
    return region_code + "0001"


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
            result = actions.provision_site(
                name=row.name, level=row.level, parent=parent, region_code=row.region_code,
                site_code=row.site_code or default_site_code(row.region_code),
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
