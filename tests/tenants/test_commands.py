"""The CLI: provision_site, import_regions and migrate_schemas are thin, clear, and never show a traceback."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_exists

from tenants.management.commands.migrate_schemas import schemas_needing_migration
from tenants.models import AuditEvent, GovSite
from tenants.provisioning.template import required_migrations, template_schema
from tests.helpers import provision_committed_county, raw_connection, run_manage, signature

GOOD_CSV = """region_code,name,level,parent_code
510106,金牛区,county,510100
510105,青羊区,county,510100
510300,自贡市,city,510000
510302,自流井区,county,510300
"""


def write(tmp_path, text, encoding="utf-8", name="regions.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_provision_site_cli(city):
    out, _ = run("provision_site", "--name", "青羊区", "--level", "county", "--parent", "510100",
                 "--region-code", "510105", "--site-code", "5101050001")
    assert "已开设 青羊区人民政府" in out and "http://qingyang.chengdu.localhost/" in out and "初始密码" in out
    site = GovSite.objects.get(region_code="510105")
    assert AuditEvent.objects.get(site=site, action="provision_site").actor_label.startswith("cli:")
    assert signature(site.schema_name)["indexes"] == signature(template_schema())["indexes"]


def test_provision_site_cli_bad_input_is_a_clear_error(city):
    with pytest.raises(CommandError, match="找不到区划代码为 999999"):
        run("provision_site", "--name", "青羊区", "--level", "county", "--parent", "999999",
            "--region-code", "510105", "--site-code", "5101050001")
    with pytest.raises(CommandError, match=r"站点未创建.*6 位数字"):
        run("provision_site", "--name", "青羊区", "--level", "county", "--parent", "510100",
            "--region-code", "5101", "--site-code", "5101050001")


def test_cli_errors_print_no_traceback(fixture_sites, db):
    result = run_manage("provision_site", "--name", "青羊区", "--level", "county", "--parent", "510100",
                        "--region-code", "510105", "--site-code", "bad", check=False)
    assert result.returncode != 0
    assert "网站标识码" in result.stderr and "Traceback" not in result.stderr
    result = run_manage("provision_site", "--name", "x", "--level", "galaxy", "--region-code", "1",
                        "--site-code", "1", check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr and "galaxy" in result.stderr


def test_import_regions_creates_parents_first_and_is_idempotent(tmp_path, province, city):
    path = write(tmp_path, GOOD_CSV)
    out, err = run("import_regions", str(path))
    assert "新建 4 个站点，已存在 0 个，出错 0 行" in out, err
    zigong = GovSite.objects.get(region_code="510300")
    assert GovSite.objects.get(region_code="510302").parent == zigong
    assert zigong.primary_domain().domain == "zigong.localhost"
    out, _ = run("import_regions", str(path))
    assert "新建 0 个站点，已存在 4 个" in out
    for code in ("510300", "510302"):
        imported = signature(GovSite.objects.get(region_code=code).schema_name)
        reference = signature(template_schema())
        for part in ("columns", "constraints", "indexes", "sequences", "migrations", "content_types"):
            assert imported[part] == reference[part], part


def test_import_regions_reports_bad_rows_and_keeps_the_good_ones(tmp_path, city):
    text = """region_code,name,level,parent_code
510105,青羊区,county,510100
510199,无名区,county,519900
5101,短代码,county,510100
510106,金牛区,county,510100
510106,金牛区,county,510100
510107,武侯区,village,510100
"""
    out, err = run("import_regions", str(write(tmp_path, text)))
    assert "新建 2 个站点" in out and "出错 4 行" in out
    assert "第 3 行（510199）：上级区划 519900" in err
    assert "第 4 行（5101）" in err and "6 位数字" in err
    assert "第 6 行（510106）：文件中重复出现" in err
    assert "第 7 行（510107）：未知的级别“village”" in err
    assert set(GovSite.objects.filter(region_code__in=["510105", "510106"]).values_list("name", flat=True)) == {
        "青羊区", "金牛区"}


def test_import_regions_reads_gbk(tmp_path, city):
    path = write(tmp_path, "region_code,name,level,parent_code\n510105,青羊区,county,510100\n", encoding="gbk")
    out, _ = run("import_regions", str(path))
    assert "新建 1 个站点" in out
    assert GovSite.objects.get(region_code="510105").name == "青羊区"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"code,title\n510105,x\n", "CSV 缺少列：region_code, name, level, parent_code"),
        (b"", "CSV 缺少列"),
        (b"\xff\xfe\x00\xd8\x00\x00garbage\x81", "无法识别文件编码"),
    ],
)
def test_import_regions_refuses_unreadable_files(tmp_path, db, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import_regions", str(path))


def test_import_regions_missing_file(db):
    with pytest.raises(CommandError, match="无法读取文件"):
        run("import_regions", "/nonexistent/regions.csv")


def test_the_whole_sichuan_file_parses(db):
    from pathlib import Path

    from tenants import regions

    rows = regions.parse(regions.decode((Path("tenants/data/regions-sichuan.csv")).read_bytes()))
    assert len(rows) == 205
    assert {r.level for r in rows} == {"province", "city", "county"}


def test_fleet_migrate_fast_path_skips_schemas_with_nothing_to_do(fixture_sites, db):
    schemas = [f.schema for f in fixture_sites.values()]
    assert schemas_needing_migration(schemas, required_migrations()) == []
    assert schemas_needing_migration([*schemas, "no_such_schema"], required_migrations()) == ["no_such_schema"]


@pytest.mark.slow
def test_fleet_migrate_still_migrates_a_schema_that_needs_it(committed_sites, fixture_sites, db):
    """A committed site loses its last wagtailusers migration; the fast path finds it and migrates it."""
    committed_sites.append("510108")
    provision_committed_county("成华区", "510108")
    with raw_connection() as conn:
        conn.execute("ALTER TABLE site_510108.wagtailusers_userprofile DROP COLUMN keyboard_shortcuts")
        conn.execute("DELETE FROM site_510108.django_migrations WHERE app = 'wagtailusers' "
                     "AND name = '0015_userprofile_keyboard_shortcuts'")
    out = run_manage("migrate_schemas", "--noinput").stdout
    assert "个站点模式中 1 个需要迁移" in out
    assert "site_510108" in out
    with raw_connection() as conn:
        column = conn.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = 'site_510108' "
            "AND table_name = 'wagtailusers_userprofile' AND column_name = 'keyboard_shortcuts'"
        ).fetchone()
    assert column is not None
    assert schema_exists("site_510108")
