"""年度报表汇总: the province lists the reports published below it, with their main figures, and no drafts."""

from django_tenants.utils import schema_context

from reports.actions import generate_annual_report
from reports.models import AnnualReportPage
from tenants import actions

from .seed import YEAR


def publish_report(site, **figures):
    with schema_context(site.schema):
        page = generate_annual_report(site.site, YEAR).page
        draft = page.get_latest_revision_as_object()
        draft.figures = {**draft.figures, **figures}
        draft.save_revision().publish()


def test_the_province_lists_published_reports_below_it_and_not_drafts(province, city, county, township):
    publish_report(county, info_total=321, messages_received=17, reply_days_average=4.5)
    publish_report(township, info_total=7)
    with schema_context(city.schema):
        generate_annual_report(city.site, YEAR)  # a draft, with its own figure
        draft = AnnualReportPage.objects.get(year=YEAR).get_latest_revision_as_object()
        draft.figures = {**draft.figures, "info_total": 999}
        draft.save_revision()

    response = province.client().get(f"/ndbb/{YEAR}/")
    assert response.status_code == 200
    body = response.content.decode()
    published = body.split("尚未发布的网站")[0]
    assert "锦江区人民政府" in published and "春熙路街道人民政府" in published
    assert "321" in published and "17" in published and "4.5" in published
    assert f"http://{county.host}" in published and "/ndbb-2025/" in published
    assert "成都市人民政府" not in published and "999" not in body
    missing = body.split("尚未发布的网站")[1]
    assert "成都市人民政府" in missing and "四川省人民政府" in missing


def test_a_city_sees_its_own_subtree_only(city, county, province):
    publish_report(province, info_total=1)
    publish_report(county, info_total=2)
    body = city.client().get(f"/ndbb/{YEAR}/").content.decode().split("尚未发布的网站")[0]
    assert "锦江区人民政府" in body
    assert "四川省人民政府" not in body


def test_a_report_stays_gathered_after_its_site_is_archived(province, county, township):
    """The township existed that year and published its report; archiving it later does not unpublish it."""
    publish_report(township, info_total=7)
    actions.archive_site(township.site, acting_user=None)
    actions.suspend_site(county.site, acting_user=None)

    body = province.client().get(f"/ndbb/{YEAR}/").content.decode()
    published, missing = body.split("尚未发布的网站")
    assert "春熙路街道人民政府</a>（已归档）" in published
    # Sites out of service (and the sites under them) are not asked for a report.
    assert "锦江区人民政府" not in missing and "成都市人民政府" in missing


def test_a_site_with_no_sites_below_has_no_gathering(township):
    assert township.client().get(f"/ndbb/{YEAR}/").status_code == 404


def test_a_year_out_of_range_is_a_clear_404(province):
    response = province.client().get("/ndbb/1999/")
    assert response.status_code == 404
    assert "年度 1999 超出范围" in response.content.decode()


def test_the_gathering_starts_at_the_year_that_is_due(province):
    response = province.client().get("/ndbb/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ndbb/20")


def test_the_province_report_page_links_the_gathering(province):
    publish_report(province)
    body = province.client().get("/ndbb-2025/").content.decode()
    assert 'href="/ndbb/2025/"' in body


def test_publishing_a_report_clears_the_gatherings_above_at_the_edge(
        province, city, county, settings, django_capture_on_commit_callbacks):
    """The province's and the city's 年度报表汇总 show the county's report as soon as it is published."""
    from edge import purge
    from tests.edge.test_purge import unreachable_edge

    unreachable_edge(settings)
    with django_capture_on_commit_callbacks() as callbacks:
        publish_report(county)
    urls = set().union(*(c.urls for c in callbacks if isinstance(c, purge._Batch)))
    assert {f"http://{site.host}/" for site in (province, city, county)} <= urls
