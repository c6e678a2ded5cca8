"""Administrative division codes (GB/T 2260) and site identifier codes (网站标识码).

Codes are checked for shape and for consistency with the parent region, so a typo
is caught at the form or CSV row that made it, not months later in an inspection.
Region lists are read from CSV here; tenants.actions.imports provisions them.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

PROVINCE, CITY, COUNTY, TOWNSHIP = "province", "city", "county", "township"
LEVELS = [PROVINCE, CITY, COUNTY, TOWNSHIP]
LEVEL_LABELS = {PROVINCE: "省级", CITY: "市级", COUNTY: "县级", TOWNSHIP: "乡镇级"}
# The level a parent must have for each level. Some county-level units hang directly
# under a province (省直辖县级行政单位), so a county accepts either.
ALLOWED_PARENT_LEVELS = {PROVINCE: set(), CITY: {PROVINCE}, COUNTY: {CITY, PROVINCE}, TOWNSHIP: {COUNTY}}

# First two digits of GB/T 2260 codes that exist (provinces, autonomous regions,
# municipalities, SARs and Taiwan).
PROVINCE_PREFIXES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
}

_SIX_DIGITS = re.compile(r"\d{6}")
_NINE_DIGITS = re.compile(r"\d{9}")
_SITE_CODE = re.compile(r"[0-9A-Z]{10}")


def normalise_code(value):
    return (value or "").strip()


def validate_region_code(code, level):
    """Raise ValidationError unless `code` is a plausible code for a region of `level`.

    Province/city/county use the six-digit GB/T 2260 code; townships the nine-digit
    statistical code (county code + three digits).
    """
    code = normalise_code(code)
    if level not in LEVELS:
        raise ValidationError(f"未知的行政级别“{level}”，应为 {', '.join(LEVELS)} 之一", code="bad_level")
    if level == TOWNSHIP:
        if not _NINE_DIGITS.fullmatch(code):
            raise ValidationError(f"乡镇区划代码“{code}”应为 9 位数字（县级代码 + 3 位）", code="bad_region_code")
        county, seq = code[:6], code[6:]
        if seq == "000":
            raise ValidationError(f"乡镇区划代码“{code}”的后 3 位不能为 000", code="bad_region_code")
        validate_region_code(county, COUNTY)
        return code
    if not _SIX_DIGITS.fullmatch(code):
        raise ValidationError(f"区划代码“{code}”应为 6 位数字（GB/T 2260）", code="bad_region_code")
    if code[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(f"区划代码“{code}”的前两位不是有效的省级代码", code="bad_region_code")
    city_part, county_part = code[2:4], code[4:6]
    expected = {
        PROVINCE: city_part == "00" and county_part == "00",
        CITY: city_part != "00" and county_part == "00",
        COUNTY: county_part != "00",
    }[level]
    if not expected:
        shapes = {PROVINCE: "XX0000", CITY: "XXXX00", COUNTY: "XXXXXX（末两位非 00）"}
        raise ValidationError(
            f"区划代码“{code}”不是{LEVEL_LABELS[level]}代码，应形如 {shapes[level]}", code="bad_region_code"
        )
    return code


def region_prefix(code, level):
    """The significant prefix a child's code must start with."""
    return {PROVINCE: code[:2], CITY: code[:4], COUNTY: code[:6], TOWNSHIP: code}[level]


def validate_parent(level, code, parent_level, parent_code):
    """Check that a region of `level`/`code` may hang under the given parent."""
    if level == PROVINCE:
        if parent_level is not None:
            raise ValidationError("省级站点不能有上级站点", code="bad_parent")
        return
    if parent_level is None:
        raise ValidationError(f"{LEVEL_LABELS[level]}站点必须指定上级站点", code="bad_parent")
    if parent_level not in ALLOWED_PARENT_LEVELS[level]:
        raise ValidationError(
            f"{LEVEL_LABELS[level]}站点的上级不能是{LEVEL_LABELS[parent_level]}站点", code="bad_parent"
        )
    prefix = region_prefix(parent_code, parent_level)
    if not code.startswith(prefix):
        raise ValidationError(
            f"区划代码“{code}”不属于上级区划“{parent_code}”（应以 {prefix} 开头）", code="bad_parent"
        )


def validate_site_code(site_code, region_code):
    """网站标识码: ten characters; the first six are the organiser's region code.

    Government portals use the six-digit region code followed by a four-digit
    sequence (e.g. 5101000001). A township site uses its county's code.
    """
    site_code = normalise_code(site_code)
    if not _SITE_CODE.fullmatch(site_code):
        raise ValidationError(f"网站标识码“{site_code}”应为 10 位数字或大写字母，例如 5101000001", code="bad_site_code")
    if not site_code[:6].isdigit() or site_code[:6] != region_code[:6]:
        raise ValidationError(
            f"网站标识码“{site_code}”的前 6 位应为本站区划代码 {region_code[:6]}", code="bad_site_code"
        )
    if site_code[6:] == "0000":
        raise ValidationError(f"网站标识码“{site_code}”的后 4 位不能为 0000", code="bad_site_code")
    return site_code


# Reading regions from a CSV file (region_code,name,level,parent_code[,site_code]), as the national
# data sets and provincial lists come: UTF-8 or GBK.

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
