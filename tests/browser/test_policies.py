"""Policy pages and the editor's path in Chromium: library → policy (with its notice and interpretations),
interpretation, service guide; axe in both modes; an editor publishes an article that reaches the home page,
and a back-dated policy only once they have written why.

The live gunicorn sees committed data only: `policies` commits the demo policies, interpretations and
service guides on 成都市 for this module and removes them afterwards.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from wagtail.models import Page

from columns.models import ArticlePage, ColumnPage
from policies.demo import add_demo_policies
from policies.models import PolicyDocumentPage, PolicyInterpretationPage, PolicyLibraryPage, Validity
from services.demo import add_demo_services
from services.models import ServiceGuidePage

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def policies(fixture_sites, django_db_blocker):
    """Paths of a repealed policy, an interpretation of a policy and a service guide on 成都市."""
    city = fixture_sites["city"]
    try:
        with django_db_blocker.unblock(), schema_context(city.schema):
            add_demo_policies(city.site)
            add_demo_services(city.site)
            repealed = PolicyDocumentPage.objects.get(validity=Validity.REPEALED)
            interpretation = PolicyInterpretationPage.objects.live().select_related("policy").first()
            guide = ServiceGuidePage.objects.live().first()
            paths = {
                "library": "/xxgk/zcwj/",
                "policy": repealed.url_path.removeprefix("/home"),
                "interpreted_policy": interpretation.policy.url_path.removeprefix("/home"),
                "interpretation": interpretation.url_path.removeprefix("/home"),
                "guide": guide.url_path.removeprefix("/home"),
            }
        connection.set_schema_to_public()
        yield paths
    finally:
        with django_db_blocker.unblock(), schema_context(city.schema):
            for model in (PolicyInterpretationPage, ServiceGuidePage, PolicyDocumentPage):
                for page in model.objects.all():
                    page.delete()
        connection.set_schema_to_public()


def test_citizen_reads_a_policy_with_its_interpretation(fixture_sites, site_url, page, policies):
    city = fixture_sites["city"]
    page.goto(site_url(city.host))
    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="信息公开").click()
    page.goto(site_url(city.host, policies["library"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("政策文件")
    page.goto(site_url(city.host, policies["interpreted_policy"]))
    expect(page.locator("body")).to_contain_text("发文字号")
    page.get_by_role("link", name=page.locator("main a[href*='/zcjd/']").first.inner_text()).first.click()
    expect(page.locator("body")).to_contain_text("解读")
    page.goto(site_url(city.host, policies["policy"]))
    expect(page.locator("body")).to_contain_text("废止")


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_policy_pages_pass_axe_in_both_modes(fixture_sites, site_url, page, axe, audit_pages, policies, mode):
    city = fixture_sites["city"]
    pages = {name: policies[name] for name in ("library", "policy", "interpretation", "guide")}
    audit_pages(city.host, pages, mode, "policies")
    page.goto(site_url(city.host, policies["library"] + "?wenhao=〔2024〕&page=abc&topic=<script>"))
    axe(page)


def test_an_editor_publishes_an_article_that_reaches_the_home_page(fixture_sites, site_url, page, wagtail_login,
                                                                   django_db_blocker, screenshot):
    city = fixture_sites["city"]
    with django_db_blocker.unblock(), schema_context(city.schema):
        news_id = ColumnPage.objects.get(slug="xwdt").pk
    connection.set_schema_to_public()
    title = "成都市发布春季植树造林倡议"
    try:
        wagtail_login(page, city.host, city.password)
        page.goto(site_url(city.host, f"/admin/pages/add/columns/articlepage/{news_id}/"))
        page.locator("#id_title").fill(title)
        page.locator("#id_source").fill("成都市融媒体中心")
        # "发布" sits in the action menu's dropdown, below the primary "保存草稿".
        page.locator("footer [data-w-dropdown-target='toggle']").last.click()
        page.get_by_role("button", name="发布", exact=True).click()
        expect(page.locator(".messages")).to_contain_text(title)
        screenshot(page, "editor-published")
        page.goto(site_url(city.host))
        expect(page.locator("main")).to_contain_text(title)
    finally:
        with django_db_blocker.unblock(), schema_context(city.schema):
            for article in ArticlePage.objects.filter(title=title):
                Page.objects.get(pk=article.pk).delete()
        connection.set_schema_to_public()


def test_a_back_dated_policy_stays_a_draft_until_the_editor_writes_why(fixture_sites, site_url, page, wagtail_login,
                                                                        django_db_blocker, screenshot):
    city = fixture_sites["city"]
    with django_db_blocker.unblock(), schema_context(city.schema):
        library_id = PolicyLibraryPage.objects.get(slug="zcwj").pk
    connection.set_schema_to_public()
    title = "成都市人民政府关于推进城市更新的实施意见"
    issued = timezone.localdate() - timedelta(days=10)
    try:
        wagtail_login(page, city.host, city.password)
        page.goto(site_url(city.host, f"/admin/pages/add/policies/policydocumentpage/{library_id}/"))
        page.locator("#id_title").fill(title)
        page.locator("#id_index_number").fill("11510100MB0000000X/2025-00010")
        page.locator("#id_topic").select_option(index=1)
        page.locator("#id_issuing_organ").fill("成都市人民政府")
        page.locator("#id_written_date").fill(f"{issued - timedelta(days=3):%Y-%m-%d}")
        page.locator("#id_published_date").fill(f"{issued:%Y-%m-%d}")
        reason = page.get_by_label("发布日期早于实际发布的说明")
        expect(reason).to_be_visible()
        page.locator("footer [data-w-dropdown-target='toggle']").last.click()
        page.get_by_role("button", name="发布", exact=True).click()
        messages = page.locator(".messages")
        today = timezone.localdate()
        expect(messages).to_contain_text(f"发布日期 {issued:%Y-%m-%d} 比实际发布日期 {today:%Y-%m-%d} 早 10 天")
        screenshot(page, "policy-backdated-held")
        page.get_by_label("发布日期早于实际发布的说明").fill("纸质文件已于发布日期印发")
        page.locator("footer [data-w-dropdown-target='toggle']").last.click()
        page.get_by_role("button", name="发布", exact=True).click()
        expect(messages).to_contain_text(title)
        with django_db_blocker.unblock(), schema_context(city.schema):
            assert PolicyDocumentPage.objects.get(title=title).live
        connection.set_schema_to_public()
    finally:
        with django_db_blocker.unblock(), schema_context(city.schema):
            for document in PolicyDocumentPage.objects.filter(title=title):
                Page.objects.get(pk=document.pk).delete()
        connection.set_schema_to_public()
