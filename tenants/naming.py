"""Host names from region names: 锦江区 under 成都市 -> jinjiang.chengdu.<suffix>.

The province itself is `<province>.<suffix>`; cities sit directly under the suffix
(chengdu.localhost) as in the national naming practice; counties under their city,
townships under their county.
"""

import re

from pypinyin import Style, lazy_pinyin

from . import regions

# Longest first: "自治县" must win over "县".
_SUFFIXES = (
    "街道办事处", "街道", "自治州", "自治县", "地区", "林区", "新区",
    "省", "市", "区", "县", "州", "盟", "旗", "镇", "乡",
)
# The 55 minority nationalities, to strip from autonomous region names:
# 凉山彝族自治州 -> 凉山, 阿坝藏族羌族自治州 -> 阿坝, 北川羌族自治县 -> 北川.
_NATIONALITIES = [
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶",
    "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水",
    "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
    "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京",
    "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
]
_ETHNIC = re.compile(
    "(?:" + "|".join(sorted(_NATIONALITIES, key=len, reverse=True)) + ")族"
    "(?=(?:[\u4e00-\u9fff]{1,4}族)*自治[州县旗])"
)


def strip_region_suffix(name):
    """锦江区 -> 锦江; 凉山彝族自治州 -> 凉山; 郫县 -> 郫县 (one character would be too short)."""
    name = name.strip()
    base = _ETHNIC.sub("", name)
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 2:
            return base[: -len(suffix)]
    return base


def slugify_region(name):
    """ASCII label for a region name: 锦江区 -> jinjiang, 郫县 -> pixian, 绿春 -> lvchun."""
    syllables = lazy_pinyin(strip_region_suffix(name), style=Style.NORMAL, errors="ignore")
    label = re.sub(r"[^a-z0-9]", "", "".join(syllables).lower().replace("ü", "v"))
    return label[:63] or "site"


def full_slug(name):
    """The pinyin of the whole name, used to tell apart two regions with the same short name."""
    syllables = lazy_pinyin(name.strip(), style=Style.NORMAL, errors="ignore")
    return re.sub(r"[^a-z0-9]", "", "".join(syllables).lower().replace("ü", "v"))[:63] or "site"


def suggest_host(name, level, region_code, parent_host, suffix, taken):
    """A free host name for a new site.

    `parent_host` is the primary host of the parent site (None for the province);
    `taken(host)` says whether a host is already in use. When the short name's
    label is taken (two regions share a name), the full name's pinyin is tried,
    then the label with the region code's last digits.
    """
    base = suffix if level in (regions.PROVINCE, regions.CITY) or parent_host is None else parent_host
    candidates = [slugify_region(name), full_slug(name), f"{slugify_region(name)}{region_code[-3:]}"]
    for label in candidates:
        host = f"{label}.{base}"
        if not taken(host):
            return host
    return f"{slugify_region(name)}{region_code}.{base}"
