"""generate_annual_reports: each chosen site in its own schema, progress per site; a failure stops no other."""

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from reports import actions
from reports.models import AnnualReportPage

from .seed import YEAR

CODES = ["510000", "510100", "510104", "510104001"]


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("generate_annual_reports", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def site_args(codes=CODES):
    return [arg for code in codes for arg in ("--site", code)]


def test_generates_a_draft_in_every_chosen_site_and_reports_progress(fixture_sites, db):
    out, _ = run("--year", str(YEAR), *site_args())
    assert "[1/4] 四川省（510000）：已生成 2025 年度报表草稿" in out
    assert "[1/4] 四川省（510000）：已生成 2025 年政府信息公开工作年度报告草稿" in out
    assert "已生成 4 个站点的 2025 年度报告草稿（2 类）" in out
    for fixture in fixture_sites.values():
        with schema_context(fixture.schema):
            assert AnnualReportPage.objects.filter(year=YEAR, live=False).count() == 1
    out, _ = run("--year", str(YEAR), *site_args(["510104"]))
    assert "[1/1] 锦江区（510104）：已更新 2025 年度报表草稿" in out


def test_a_failing_site_is_reported_and_the_others_go_on(fixture_sites, db, monkeypatch):
    original = actions.compute

    def compute(year, site):
        if site.region_code == "510100":
            raise RuntimeError("模拟故障")
        return original(year, site)

    monkeypatch.setattr(actions, "compute", compute)
    with pytest.raises(CommandError, match="1 个站点生成失败：成都市"):
        call_command("generate_annual_reports", "--year", str(YEAR), *site_args())
    for key in ("province", "county", "township"):
        with schema_context(fixture_sites[key].schema):
            assert AnnualReportPage.objects.filter(year=YEAR).exists()
    with schema_context(fixture_sites["city"].schema):
        assert not AnnualReportPage.objects.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "1999"], "年度 1999 超出范围"),
    (["--year", "2999"], "年度 2999 超出范围"),
    (["--year", "2025", "--site", "999999"], "找不到这些区划代码的运行中站点：999999"),
])
def test_bad_input_is_a_clear_error_not_a_traceback(fixture_sites, db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_annual_reports", *args)


def test_without_a_year_it_is_the_year_just_ended(fixture_sites, db):
    from django.utils import timezone

    last_year = timezone.localdate().year - 1
    out, _ = run(*site_args(["510104"]))
    assert f"已生成 1 个站点的 {last_year} 年度报告草稿（2 类）" in out
    with schema_context(fixture_sites["county"].schema):
        assert AnnualReportPage.objects.filter(year=last_year).exists()
