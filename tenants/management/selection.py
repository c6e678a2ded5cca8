"""Choosing sites on the command line: `--site <region code>` (repeatable), as every per-site job takes it."""

from django.core.management.base import CommandError


def only_these(sites, codes, what="站点"):
    """`sites` narrowed to the given region codes; CommandError naming any code that matched none."""
    codes = [code.strip() for code in codes]
    sites = sites.filter(region_code__in=codes)
    missing = set(codes) - set(sites.values_list("region_code", flat=True))
    if missing:
        raise CommandError(f"找不到这些区划代码的{what}：" + "、".join(sorted(missing)))
    return sites
