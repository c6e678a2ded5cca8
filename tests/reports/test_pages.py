"""生成年度报表 → an editor edits and submits → a reviewer approves → the home page links the report."""

from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import TaskState

from library.models import PublishedReport
from reports.figures import FIGURES, FLAG, TEXT
from reports.models import AnnualReportPage
from tenants.provisioning.site_groups import EDITOR, REVIEWER
from tests.columns.test_workflow import make_user
from tests.wagtail_admin import post_page_form

from .seed import YEAR

ADMIN_URL = "/admin/annual-reports/"


def filled_in(**changes):
    """Every figure the editor must fill in, filled (0 / 否), plus `changes`."""
    values = {}
    for key, figure in FIGURES.items():
        if not figure.computed and figure.kind != TEXT:
            values[f"figure_{key}"] = "no" if figure.kind == FLAG else "0"
    return {**values, **{f"figure_{key}": value for key, value in changes.items()}}


def edit_url(site):
    with schema_context(site.schema):
        return reverse("wagtailadmin_pages:edit", args=(AnnualReportPage.objects.get(year=YEAR).pk,))


def test_generate_edit_submit_approve_and_the_home_page_links_the_report(county):
    editor = make_user(county, "bianji", EDITOR)
    page = editor.get(ADMIN_URL)
    assert page.status_code == 200 and "生成年度报表" in page.content.decode()

    response = editor.post(ADMIN_URL, {"year": str(YEAR)})
    assert response.status_code == 302
    assert response["Location"] == edit_url(county)

    # Not complete: a figure only the editor knows is empty, so it cannot go to review.
    response = post_page_form(editor, edit_url(county), {"figure_visitors": ""}, action="draft")
    assert response.status_code == 302  # a draft may be incomplete
    data_missing = {**filled_in(), "figure_visitors": "", "action-submit": "Submit"}
    response = post_page_form(editor, edit_url(county), data_missing, action="draft")
    assert response.status_code == 200
    assert "请填写“独立用户访问总量”" in response.content.decode()

    response = post_page_form(
        editor, edit_url(county),
        {**filled_in(visitors="123456", info_total="42", reply_days_average="2.5"), "action-submit": "Submit"},
        action="draft",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context(county.schema):
        report = AnnualReportPage.objects.get(year=YEAR)
        assert not report.live
        state = TaskState.objects.get(revision__object_id=str(report.pk), status="in_progress")
        approve = reverse("wagtailadmin_pages:workflow_action", args=(report.pk, "approve", state.pk))
    reviewer = make_user(county, "shenhe", REVIEWER)
    assert reviewer.post(approve, {"comment": "同意发布"}).status_code in (200, 302)

    with schema_context(county.schema):
        report = AnnualReportPage.objects.get(year=YEAR)
        assert report.live
        assert report.figures["visitors"] == 123456
        assert report.figures["info_total"] == 42
        assert report.figures["reply_days_average"] == 2.5
        assert report.edited_keys() == ["info_total", "reply_days_average"]
    home = county.client().get("/").content.decode()
    assert 'href="/ndbb-2025/"' in home
    assert "政府网站工作年度报表（2025年度）" in home

    body = county.client().get("/ndbb-2025/").content.decode()
    assert "<caption>信息发布</caption>" in body
    assert "123456" in body and ">42<" in body
    published = PublishedReport.objects.get(site=county.site, year=YEAR)
    assert published.figures["visitors"] == 123456
    assert published.url.endswith("/ndbb-2025/")


def test_the_admin_refuses_a_year_out_of_range_with_a_message(county):
    client = county.admin_client()
    response = client.post(ADMIN_URL, {"year": "2999"})
    assert response.status_code == 200
    assert "年度 2999 超出范围：只能生成 2017 至" in response.content.decode()
    with schema_context(county.schema):
        assert not AnnualReportPage.objects.exists()


def test_unpublishing_withdraws_the_report_from_the_home_page_and_the_gathering(county):
    client = county.admin_client()
    client.post(ADMIN_URL, {"year": str(YEAR)})
    with schema_context(county.schema):
        report = AnnualReportPage.objects.get(year=YEAR)
        report.get_latest_revision().publish()
    assert PublishedReport.objects.filter(site=county.site, year=YEAR).exists()
    assert "/ndbb-2025/" in county.client().get("/").content.decode()
    with schema_context(county.schema):
        AnnualReportPage.objects.get(year=YEAR).unpublish()
    assert not PublishedReport.objects.filter(site=county.site, year=YEAR).exists()
    assert "/ndbb-2025/" not in county.client().get("/").content.decode()


def test_an_account_without_page_permissions_cannot_generate(county):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    with schema_context(county.schema):
        user = get_user_model().objects.create_user("viewer", password="viewer-pass-1234")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = county.client()
    client.post("/admin/login/", {"username": "viewer", "password": "viewer-pass-1234"})
    response = client.post(ADMIN_URL, {"year": str(YEAR)})
    # Wagtail's admin answers PermissionDenied by sending the user back to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    with schema_context(county.schema):
        assert not AnnualReportPage.objects.exists()
