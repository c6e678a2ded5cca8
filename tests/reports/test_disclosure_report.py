"""政府信息公开工作年度报告: counted from the applications and policy documents, a draft under 信息公开 →
政府信息公开年报, edited, balanced, published; the year is the calendar year in Beijing time."""

import datetime

import pytest
from django.urls import reverse
from django_tenants.utils import schema_context

from columns.models import ColumnPage, ColumnType
from disclosure import actions, remedies
from disclosure.models import ApplicationPage
from library.models import PublishedReport, ReportKind
from reports import disclosure_figures as df
from reports.actions import ReportError, generate_disclosure_report
from reports.models import DisclosureReportPage
from tests.disclosure.helpers import CREDIT_CODE, day, form_data, new_application
from tests.wagtail_admin import post_page_form

ADMIN_URL = "/admin/disclosure-reports/"
ORGANISATION = {"id_type": "credit_code", "id_number": CREDIT_CODE, "name": "某某科技有限公司"}


def utc(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def seed_across_the_new_year(site):
    """Five applications and a review around 1 January 2026 (module docstring of the test below)."""
    with schema_context(site.schema):
        page = ApplicationPage.objects.get()
        # 00:30 on 1 January in Beijing (16:30 UTC the day before): a 2026 application.
        actions.submit_application(page, form_data(name="甲"), received_at=utc("2025-12-31T16:30:00"))
        # 23:30 on 31 December in Beijing: a 2025 application, answered in 2026.
        late, _ = actions.submit_application(page, form_data(name="乙"), received_at=utc("2025-12-31T15:30:00"))
        actions.answer(late, result="disclosed", reason="provided", notice="现予公开。", acting_user=None,
                       today=day("2026-01-05"))
    business, _ = new_application(site, received_on=day("2025-06-02"), applicant_kind="business", **ORGANISATION)
    new_application(site, received_on=day("2026-03-02"), applicant_kind="legal", **ORGANISATION)
    with schema_context(site.schema):
        actions.answer(business, result="withheld", reason="state_secret", notice="不予公开。", acting_user=None,
                       today=day("2025-06-20"))
        remedies.record_case(business, kind="review", filed_on=day("2025-07-01"), authority="成都市锦江区人民政府",
                             acting_user=None, today=day("2025-07-02"))
        case = business.remedies.get()
        remedies.decide_case(case, outcome="corrected", decided_on=day("2026-01-10"), acting_user=None,
                             today=day("2026-01-10"))
        letter, _ = actions.register_application(
            {**form_data(applicant_kind="research", **ORGANISATION)}, channel="letter",
            received_on=day("2025-11-03"), acting_user=None, today=day("2025-11-04"))
        actions.request_completion(letter, items="请写明所需信息的名称", period_days=5, acting_user=None,
                                   today=day("2025-11-05"))
        actions.lapse_overdue_completions(today=day("2025-11-20"))


def nonzero(figures):
    return {key: value for key, value in figures.items() if value}


def test_the_tables_count_each_application_in_its_beijing_year(county):
    seed_across_the_new_year(county)
    with schema_context(county.schema):
        year_2025 = df.compute(2025, county.site)
        year_2026 = df.compute(2026, county.site)
    assert nonzero(year_2025) == {
        "app_new_person": 1, "app_new_business": 1, "app_new_research": 1,
        "app_withheld_state_secret_business": 1, "app_other_no_completion_research": 1,
        "app_carried_out_person": 1,
        "rem_review_pending": 1,
    }
    assert nonzero(year_2026) == {
        "app_new_person": 1, "app_new_legal": 1,
        "app_carried_in_person": 1, "app_disclosed_person": 1,
        "app_carried_out_person": 1, "app_carried_out_legal": 1,
        "rem_review_corrected": 1,
    }
    assert df.unbalanced(year_2025) == [] and df.unbalanced(year_2026) == []
    table = {label: cells for label, _level, cells in df.application_table(year_2025)}
    assert table["（七）总计"] == [0, 1, 1, 0, 0, 0, 2]  # 自然人 … 其他组织, 总计
    assert df.remedy_table(year_2025)[:5] == [0, 0, 0, 1, 1]


def test_documents_count_by_kind_publication_and_validity_at_the_year_end(county):
    from policies.models import PolicyDocumentPage
    from tests.factories import PolicyDocumentFactory

    with schema_context(county.schema):
        PolicyDocumentFactory(title="规章一", document_kind="rule", published_date=day("2025-03-01"))
        PolicyDocumentFactory(title="规范性文件一", document_kind="normative",
                              published_date=day("2024-05-01"), validity="repealed",
                              validity_changed_date=day("2025-08-01"))
        PolicyDocumentFactory(title="规范性文件二", document_kind="normative",
                              published_date=day("2023-05-01"), validity="repealed",
                              validity_changed_date=day("2026-02-01"))
        PolicyDocumentFactory(title="其他文件", published_date=day("2025-03-01"))
        assert PolicyDocumentPage.objects.count() == 4
        figures = df.compute(2025, county.site)
    assert {key: figures[key] for key in figures if key.startswith("doc_")} == {
        "doc_rule_issued": 1, "doc_rule_repealed": 0, "doc_rule_in_force": 1,
        "doc_normative_issued": 0, "doc_normative_repealed": 1,
        "doc_normative_in_force": 1,  # repealed only in 2026: in force on 31 December 2025
    }


def report_edit_url(site, year):
    with schema_context(site.schema):
        return reverse("wagtailadmin_pages:edit", args=(DisclosureReportPage.objects.get(year=year).pk,))


def entered_figures(**changes):
    values = {f"figure_{key}": "0" for key, figure in df.FIGURES.items() if not figure.computed}
    return {**values, **{f"figure_{key}": value for key, value in changes.items()}}


def test_generate_balance_publish_and_read_the_report(county):
    seed_across_the_new_year(county)
    admin = county.admin_client()
    response = admin.post(ADMIN_URL, {"year": "2025"})
    assert response.status_code == 302 and response["Location"] == report_edit_url(county, 2025)
    with schema_context(county.schema):
        report = DisclosureReportPage.objects.get(year=2025)
        assert report.get_parent().specific.column_type == ColumnType.DISCLOSURE_REPORT
        assert report.url_path == "/home/xxgk/gknb/gknb-2025/" and not report.live
        assert "新收政府信息公开申请3件" in report.overview and "被申请行政复议1件" in report.overview
    url = report_edit_url(county, 2025)
    form = admin.get(url).content.decode()
    assert "三、收到和处理政府信息公开申请情况" in form
    assert 'aria-label="一、本年新收政府信息公开申请数量（自然人）（件）"' in form

    # A cell changed so the table no longer adds up: a draft may be saved, not published.
    assert post_page_form(admin, url, {"figure_app_new_person": "2"}, action="draft").status_code == 302
    response = post_page_form(admin, url, entered_figures(app_new_person="2"), action="publish")
    assert response.status_code == 200 and "申请情况表不平衡" in response.content.decode()
    assert "自然人（新收与上年结转 2 件，办理结果与结转下年 1 件）" in response.content.decode()
    response = post_page_form(admin, url, entered_figures(app_new_person="1", licensing="12", fees="0.5"),
                              action="publish")
    assert response.status_code == 302, response.content.decode()[:2000]

    body = county.client().get("/xxgk/gknb/gknb-2025/").content.decode()
    assert "三、收到和处理政府信息公开申请情况" in body and "1.属于国家秘密" in body
    assert "（七）总计" in body and "四、政府信息公开行政复议、行政诉讼情况" in body
    assert ">12<" in body and ">0.5<" in body
    published = PublishedReport.objects.get(site=county.site, kind=ReportKind.DISCLOSURE, year=2025)
    assert published.figures["licensing"] == 12 and published.url.endswith("/xxgk/gknb/gknb-2025/")
    assert not PublishedReport.objects.filter(site=county.site, kind=ReportKind.WEBSITE).exists()
    assert "gknb-2025" in county.client().get("/xxgk/gknb/").content.decode()


def test_regenerating_keeps_what_the_office_rewrote(county):
    seed_across_the_new_year(county)
    with schema_context(county.schema):
        page = generate_disclosure_report(county.site, 2025).page
        draft = page.get_latest_revision_as_object()
        draft.figures = {**draft.figures, "app_new_person": 5, "licensing": 7}
        draft.save_revision()
        new_application(county, received_on=day("2025-09-01"))  # another 2025 application turns up
        result = generate_disclosure_report(county.site, 2025)
        assert result.kept == ["app_new_person"] and "app_carried_out_person" in result.refreshed
        refreshed = DisclosureReportPage.objects.get(year=2025).get_latest_revision_as_object()
        assert refreshed.figures["app_new_person"] == 5 and refreshed.figures["licensing"] == 7
        assert refreshed.computed["app_new_person"] == 2
        assert "新收政府信息公开申请4件" in refreshed.overview  # untouched text takes the new figures

        refreshed.overview = "<p>本机关自行撰写的总体情况。</p>"
        refreshed.save_revision()
        result = generate_disclosure_report(county.site, 2025)
        assert "总体情况" in result.summary()
        again = DisclosureReportPage.objects.get(year=2025).get_latest_revision_as_object()
        assert again.overview == "<p>本机关自行撰写的总体情况。</p>"
        assert DisclosureReportPage.objects.count() == 1


def test_a_site_without_the_column_and_a_year_before_the_format_are_told_why(county):
    admin = county.admin_client()
    response = admin.post(ADMIN_URL, {"year": "2019"})
    assert response.status_code == 200 and "只能生成 2021 至" in response.content.decode()
    with schema_context(county.schema):
        ColumnPage.objects.filter(column_type=ColumnType.DISCLOSURE_REPORT).delete()
        with pytest.raises(ReportError, match="update_site_standard"):
            generate_disclosure_report(county.site, 2025)
    response = admin.post(ADMIN_URL, {"year": "2025"})
    assert response.status_code == 200 and "没有“政府信息公开年报”栏目" in response.content.decode()


def publish_disclosure_report(site, year=2025, **figures):
    with schema_context(site.schema):
        page = generate_disclosure_report(site.site, year).page
        draft = page.get_latest_revision_as_object()
        draft.figures = {**draft.figures, **figures}
        draft.save_revision().publish()


def test_the_province_gathers_disclosure_reports_with_each_sites_deadline(province, city, county, township):
    from tests.reports.test_gathering import publish_report

    publish_disclosure_report(county, app_new_person=4, app_carried_out_person=4)
    publish_disclosure_report(township)
    publish_report(city)  # the city's website report: not a disclosure report
    # The township published on 20 January (on time), the county only now (its day was 31 March).
    PublishedReport.objects.filter(site=township.site, kind=ReportKind.DISCLOSURE).update(
        published_at=utc("2026-01-20T02:00:00"))

    response = province.client().get("/gknb/2025/")
    assert response.status_code == 200
    published, missing = response.content.decode().split("尚未发布的网站")
    rows = {name: published.split(name)[1].split("</tr>")[0] for name in ("锦江区人民政府", "春熙路街道人民政府")}
    assert "（逾期发布）" in rows["锦江区人民政府"] and "2026-03-31" in rows["锦江区人民政府"]
    assert ">4<" in rows["锦江区人民政府"]
    assert "（逾期发布）" not in rows["春熙路街道人民政府"] and "2026-01-31" in rows["春熙路街道人民政府"]
    assert "成都市人民政府：发布期限 2026-03-31，<strong>已逾期</strong>" in missing
    assert "四川省人民政府" in missing
    # The county's report links the gathering of the sites below it; the province redirects to last year.
    assert "/gknb/2025/" in county.client().get("/xxgk/gknb/gknb-2025/").content.decode()
    assert province.client().get("/gknb/")["Location"] == f"/gknb/{datetime.date.today().year - 1}/"
    assert province.client().get("/gknb/2019/").status_code == 404
    assert township.client().get("/gknb/2025/").status_code == 404  # nothing below a township


def test_the_disclosure_office_drafts_the_report_and_a_reviewer_publishes_it(county):
    from wagtail.models import TaskState

    from tests.disclosure.test_office import office_client

    office = office_client(county)
    assert office.post(ADMIN_URL, {"year": "2025"}).status_code == 302
    url = report_edit_url(county, 2025)
    response = post_page_form(office, url, {**entered_figures(licensing="3"), "action-submit": "Submit"},
                              action="draft")
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(county.schema):
        report = DisclosureReportPage.objects.get(year=2025)
        assert not report.live and TaskState.objects.filter(revision__object_id=str(report.pk),
                                                           status="in_progress").exists()
    # Publishing is the reviewer's: the office's publish is refused.
    post_page_form(office, url, entered_figures(licensing="3"), action="publish")
    with schema_context(county.schema):
        assert not DisclosureReportPage.objects.get(year=2025).live
    # The office has no other page: an article in 新闻动态 is not its to edit.
    with schema_context(county.schema):
        news = ColumnPage.objects.get(slug="xwdt")
    assert office.get(reverse("wagtailadmin_pages:edit", args=(news.pk,))).status_code in (302, 403)
