"""A province's worth of `import_regions`: spares cloned ahead on other threads, every guarantee of one site kept."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_exists

from tenants.models import AuditEvent, GovSite, SpareSchema
from tenants.provisioning import template
from tests.helpers import drop_committed_site, signature

SICHUAN = Path(__file__).resolve().parents[2] / "tenants" / "data" / "regions-sichuan.csv"
# The province, 成都市 and 锦江区 (fixture sites), the rest of 成都市's counties, 自贡市 and its,
# 攀枝花市 and three of its.
REAL_ROWS = 32
BAD_ROWS = [
    "5101,短代码,county,510100",  # refused by the provisioning itself
    "519900,坏市!,city,510000",  # a bad name
    "519901,某某区,county,519900",  # its parent failed above
    "510302,自流井区,county,510300",  # twice in the file
]
STRUCTURE = ("columns", "constraints", "indexes", "sequences", "migrations", "content_types")


@pytest.fixture
def regions_file(tmp_path):
    lines = SICHUAN.read_text(encoding="utf-8").splitlines()[: REAL_ROWS + 1]
    path = tmp_path / "sichuan.csv"
    path.write_text("\n".join(lines + BAD_ROWS) + "\n", encoding="utf-8")
    return path, [line.split(",")[0] for line in lines[1:]]


def run_import(path):
    out, err = StringIO(), StringIO()
    call_command("import_regions", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_province_imports_once_with_an_audit_row_each_and_per_row_errors(committed_db, regions_file):
    path, codes = regions_file
    before = set(GovSite.objects.values_list("region_code", flat=True))
    new = [code for code in codes if code not in before]
    assert len(new) == REAL_ROWS - 3
    try:
        out, err = run_import(path)
        assert f"新建 {len(new)} 个站点，已存在 3 个，出错 4 行" in out, err
        first_bad = REAL_ROWS + 2
        assert f"第 {first_bad} 行（5101）" in err and "6 位数字" in err
        assert f"第 {first_bad + 1} 行（519900）" in err and "站点名称" in err
        assert f"第 {first_bad + 2} 行（519901）：上级区划 519900 既不在平台中也未在本文件中成功导入" in err
        assert f"第 {first_bad + 3} 行（510302）：文件中重复出现" in err

        events = AuditEvent.objects.filter(action="provision_site", site__region_code__in=new)
        assert sorted(events.values_list("site__region_code", flat=True)) == sorted(new)
        # The threads cloned ahead, and took back what no site needed.
        assert any(event.detail["from_spare"] for event in events)
        assert not SpareSchema.objects.exists()
        zigong = GovSite.objects.get(region_code="510300")
        assert GovSite.objects.get(region_code="510302").parent == zigong
        assert zigong.primary_domain().domain == "zigong.localhost"
        reference = signature(template.template_schema())
        for code in ("510300", new[-1]):
            imported = signature(GovSite.objects.get(region_code=code).schema_name)
            for part in STRUCTURE:
                assert imported[part] == reference[part], (code, part)

        out, err = run_import(path)
        assert f"新建 0 个站点，已存在 {REAL_ROWS} 个，出错 4 行" in out, err
        assert AuditEvent.objects.filter(action="provision_site", site__region_code__in=new).count() == len(new)
        assert not SpareSchema.objects.exists()
    finally:
        for code in reversed(new):
            drop_committed_site(code)
    assert not any(schema_exists(f"site_{code}") for code in new)
