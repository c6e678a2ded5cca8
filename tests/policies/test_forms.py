"""The admin, as an editor uses it: what is refused, and that the message says why."""

import html

from django.utils import timezone
from django_tenants.utils import schema_context

from policies.models import PolicyDocumentPage, PolicyInterpretationPage
from tests.factories import DocumentFactory, PolicyDocumentFactory, column
from tests.wagtail_admin import post_page_form

POLICY = {
    "title": "锦江区人民政府关于优化营商环境的实施意见",
    "slug": "yhyshj",
    "index_number": "11510104MB0000000X/2025-00001",
    "topic": "economy",
    "issuing_organ": "锦江区人民政府",
    "document_number": "锦府发〔2025〕1号",
    "written_date": "2025-03-01",
    "published_date": timezone.localdate().isoformat(),  # today: an earlier date needs a reason (倒签)
}


def add_url(site, model, parent_slug):
    with schema_context(site.schema):
        return f"/admin/pages/add/policies/{model}/{column(parent_slug).pk}/"


def text(response):
    return html.unescape(response.content.decode())


def test_a_policy_published_from_the_admin(county):
    response = post_page_form(county.admin_client(), add_url(county, "policydocumentpage", "zcwj"), POLICY,
                              action="publish")
    assert response.status_code == 302
    with schema_context(county.schema):
        page = PolicyDocumentPage.objects.get(slug="yhyshj")
        assert page.live and page.document_number_normalised == "锦府发〔2025〕1号"


def test_repealing_without_a_date_is_refused_with_a_clear_message(county):
    values = {**POLICY, "validity": "repealed"}
    response = post_page_form(county.admin_client(), add_url(county, "policydocumentpage", "zcwj"), values,
                              action="publish")
    assert response.status_code == 200
    assert "有效性为“已废止”时，必须填写废止日期。" in text(response)
    with schema_context(county.schema):
        assert not PolicyDocumentPage.objects.filter(slug="yhyshj").exists()


def test_an_attachment_of_the_wrong_type_is_refused(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory()
        spreadsheet = DocumentFactory(filename="预算表.xls", title="预算表")
    attachment = {
        "attachments-TOTAL_FORMS": "1", "attachments-0-document": str(spreadsheet.pk), "attachments-0-ORDER": "1",
        "attachments-0-id": "", "attachments-0-DELETE": "",
    }
    response = post_page_form(county.admin_client(), f"/admin/pages/{page.pk}/edit/", attachment, action="publish")
    assert response.status_code == 200
    assert "附件“预算表”的格式为 xls，只允许 PDF、OFD、DOC、DOCX、WPS 文件。" in text(response)
    with schema_context(county.schema):
        assert not page.attachments.exists()


def test_an_interpretation_is_published_only_with_its_policy(county):
    with schema_context(county.schema):
        explained = PolicyDocumentFactory()
    client = county.admin_client()
    url = add_url(county, "policyinterpretationpage", "zcjd")
    values = {"title": "《关于优化营商环境的实施意见》解读", "slug": "jd-1"}

    refused = post_page_form(client, url, values, action="publish")
    assert refused.status_code == 200
    assert "请选择所解读的政策文件：政策解读必须关联其政策文件。" in text(refused)

    assert post_page_form(client, url, values, action="draft").status_code == 302
    with schema_context(county.schema):
        draft = PolicyInterpretationPage.objects.get(slug="jd-1")
        assert not draft.live and draft.policy is None

    published = post_page_form(client, f"/admin/pages/{draft.pk}/edit/", {"policy": str(explained.pk)},
                               action="publish")
    assert published.status_code == 302
    with schema_context(county.schema):
        assert PolicyInterpretationPage.objects.get(pk=draft.pk).live


def test_a_video_interpretation_without_a_video_is_refused(county):
    with schema_context(county.schema):
        explained = PolicyDocumentFactory()
    values = {"title": "视频解读", "slug": "jd-video", "policy": str(explained.pk), "kind": "video"}
    response = post_page_form(county.admin_client(), add_url(county, "policyinterpretationpage", "zcjd"),
                              values, action="publish")
    assert response.status_code == 200
    assert "视频解读须填写视频地址或上传视频文件。" in text(response)
