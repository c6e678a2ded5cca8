"""The annual reports as a citizen meets them in Chromium: the home page's link, the report's tables, the
province's 年度报表汇总, and the 政府信息公开工作年度报告 with its nested tables; axe (WCAG 2.1 A/AA) in
normal and elder mode.

The live gunicorn sees committed data only: `reports` generates and publishes the 2025 reports of
锦江区 and 四川省 for this module (`disclosure_report` 锦江区's disclosure report) and deletes them
afterwards (which withdraws them from the gathering).
"""

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from reports.actions import generate_annual_report, generate_disclosure_report
from reports.models import AnnualReportPage, DisclosureReportPage

pytestmark = pytest.mark.browser

YEAR = 2025


@pytest.fixture(scope="module")
def reports(fixture_sites, django_db_blocker):
    sites = [fixture_sites["county"], fixture_sites["province"]]
    try:
        with django_db_blocker.unblock():
            for fixture in sites:
                with schema_context(fixture.schema):
                    page = generate_annual_report(fixture.site, YEAR).page
                    draft = page.get_latest_revision_as_object()
                    draft.figures = {**draft.figures, "visits": 120345, "has_new_media": False}
                    draft.save_revision().publish()
        connection.set_schema_to_public()
        yield "/ndbb-2025/"
    finally:
        with django_db_blocker.unblock():
            for fixture in sites:
                with schema_context(fixture.schema):
                    for page in AnnualReportPage.objects.all():
                        page.delete()
        connection.set_schema_to_public()


def test_the_home_page_links_the_published_report_and_it_reads_as_tables(fixture_sites, site_url, page, reports):
    county = fixture_sites["county"]
    page.goto(site_url(county.host))
    page.get_by_role("link", name="查看年度报表").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政府网站工作年度报表（2025年度）")
    table = page.get_by_role("table", name="互动交流")
    expect(table.get_by_role("rowheader", name="收到留言数量", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="网站访问")).to_contain_text("120345")
    expect(page.get_by_role("table", name="移动新媒体")).to_contain_text("否")


def test_the_province_gathers_the_published_reports(fixture_sites, site_url, page, reports):
    province = fixture_sites["province"]
    page.goto(site_url(province.host, reports))
    page.get_by_role("link", name="查看本级及下级网站 2025 年度报表汇总").click()
    table = page.get_by_role("table", name="已发布年度报表的网站（2 个）")
    expect(table.get_by_role("link", name="锦江区人民政府")).to_be_visible()
    expect(page.get_by_role("heading", name="尚未发布的网站（2 个）")).to_be_visible()


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_report_pages_have_no_axe_violations(fixture_sites, audit_pages, reports, mode):
    audit_pages(fixture_sites["county"].host, {"home": "/", "report": reports}, mode, "report-county")
    audit_pages(fixture_sites["province"].host, {"gathering": f"/ndbb/{YEAR}/"}, mode, "report-province")


@pytest.fixture(scope="module")
def disclosure_report(fixture_sites, django_db_blocker):
    county = fixture_sites["county"]
    try:
        with django_db_blocker.unblock(), schema_context(county.schema):
            page = generate_disclosure_report(county.site, YEAR).page
            draft = page.get_latest_revision_as_object()
            draft.figures = {**draft.figures, "licensing": 1520, "penalty": 36, "enforcement": 0, "fees": 0,
                             "app_new_person": 3, "app_carried_out_person": 1, "app_disclosed_person": 2}
            draft.problems = "<p>依申请公开答复的规范性有待提高。</p>"
            draft.save_revision().publish()
            url = draft.url_path.removeprefix("/home")
        connection.set_schema_to_public()
        yield url
    finally:
        with django_db_blocker.unblock(), schema_context(county.schema):
            for page in DisclosureReportPage.objects.all():
                page.delete()
        connection.set_schema_to_public()


def test_the_disclosure_report_reads_as_the_national_tables(fixture_sites, site_url, page, disclosure_report):
    county = fixture_sites["county"]
    page.goto(site_url(county.host, "/xxgk/gknb/"))
    page.get_by_role("link", name="2025年政府信息公开工作年度报告").click()
    expect(page.get_by_role("heading", name="三、收到和处理政府信息公开申请情况")).to_be_visible()
    applications = page.get_by_role("table", name="收到和处理政府信息公开申请情况（单位：件）")
    expect(applications.get_by_role("columnheader", name="法人或其他组织")).to_be_visible()
    expect(applications.get_by_role("rowheader", name="1.属于国家秘密")).to_be_visible()
    total = applications.get_by_role("row", name="（七）总计")
    expect(total.get_by_role("cell").last).to_have_text("2")
    expect(page.get_by_role("table", name="第二十条第（五）项、第（六）项")).to_contain_text("1520")
    expect(page.get_by_text("依申请公开答复的规范性有待提高。")).to_be_visible()


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_the_disclosure_report_has_no_axe_violations(fixture_sites, audit_pages, disclosure_report, mode):
    audit_pages(fixture_sites["county"].host, {"disclosure-report": disclosure_report, "column": "/xxgk/gknb/"},
                mode, "disclosure-report")
