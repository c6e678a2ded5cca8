"""The admin, as an editor uses it: drafts save with elements missing, publishing is refused and says which."""

import html

from django_tenants.utils import schema_context

from services.models import ServiceGuidePage
from tests.factories import COMPLETE, ServiceGuideFactory, column
from tests.wagtail_admin import post_page_form

RICH_TEXT = ("legal_basis", "conditions", "materials", "process")


def create_url(site):
    with schema_context(site.schema):
        return f"/admin/pages/add/services/serviceguidepage/{column('bsfw').pk}/"


def stored(site, **lookup):
    with schema_context(site.schema):
        return ServiceGuidePage.objects.filter(**lookup).first()


def submit(client, url, values, action):
    return post_page_form(client, url, values, action=action, rich_text_fields=RICH_TEXT)


def incomplete(**overrides):
    return {**COMPLETE, "title": "食品经营许可办事指南", "slug": "spjyxk", "legal_basis": "", "process": "",
            "phone": "", **overrides}


def test_a_new_draft_saves_with_elements_missing(county):
    response = submit(county.admin_client(), create_url(county), incomplete(), "draft")
    assert response.status_code == 302
    page = stored(county, slug="spjyxk")
    assert page is not None and not page.live
    assert page.legal_basis == "" and page.fees == "不收费"


def test_publishing_a_new_guide_with_elements_missing_is_refused_with_their_names(county):
    response = submit(county.admin_client(), create_url(county), incomplete(), "publish")
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "办事指南要素不全，不能发布。缺少：设定依据、办理流程、咨询电话。" in body
    assert "缺少办事指南要素“设定依据”，不能发布。" in body
    assert "缺少办事指南要素“办理流程”，不能发布。" in body
    assert "缺少办事指南要素“咨询电话”，不能发布。" in body
    assert "收费标准”，不能发布" not in body
    assert stored(county, slug="spjyxk") is None


def test_publishing_a_draft_is_refused_until_it_is_complete(county):
    with schema_context(county.schema):
        draft = ServiceGuideFactory(draft=True, legal_basis="", phone="")
    client = county.admin_client()
    edit = f"/admin/pages/{draft.pk}/edit/"
    refused = submit(client, edit, {}, "publish")
    assert "缺少：设定依据、咨询电话。" in html.unescape(refused.content.decode())
    assert not stored(county, pk=draft.pk).live

    published = submit(client, edit, {"legal_basis": "<p>《促进个体工商户发展条例》</p>", "phone": "12345"}, "publish")
    assert published.status_code == 302
    page = stored(county, pk=draft.pk)
    assert page.live and page.phone == "12345" and "促进个体工商户发展条例" in page.legal_basis


def test_a_live_guide_can_get_an_incomplete_draft_without_changing_what_is_published(county):
    with schema_context(county.schema):
        live = ServiceGuideFactory()
    response = submit(county.admin_client(), f"/admin/pages/{live.pk}/edit/", {"phone": "", "fees": ""}, "draft")
    assert response.status_code == 302
    page = stored(county, pk=live.pk)
    assert page.live and page.phone == COMPLETE["phone"] and page.has_unpublished_changes
    with schema_context(county.schema):
        assert page.get_latest_revision().as_object().phone == ""
