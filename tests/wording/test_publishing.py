"""The check before publishing in a site's admin: a serious error keeps the page a draft, a suspect term
or an identity number goes out only once an editor has written why; every outcome audited."""

import json

from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import TaskState

from columns.models import ArticlePage, ColumnPage
from tenants.models import AuditAction, AuditEvent
from tenants.provisioning.site_groups import EDITOR
from tests.columns.test_workflow import make_user
from tests.wagtail_admin import post_page_form


def draftail(text):
    return json.dumps({"blocks": [{"key": "a1b2c", "type": "unstyled", "depth": 0, "text": text,
                                   "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}})


def add_article(client, site, slug, body, action):
    with schema_context(site.schema):
        news = ColumnPage.objects.get(slug="xwdt")
        url = reverse("wagtailadmin_pages:add", args=("columns", "articlepage", news.pk))
    response = client.post(url, {
        "title": f"新闻 {slug}", "slug": slug, "source": "锦江区融媒体中心", "author": "", "summary": "",
        "body": draftail(body), "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000", action: action,
    }, follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    with schema_context(site.schema):
        return ArticlePage.objects.get(slug=slug), response


def test_a_serious_error_keeps_the_submission_a_draft_and_shows_the_hit_in_context(county):
    editor = make_user(county, "bianji", EDITOR)
    article, response = add_article(editor, county, "serious", "庆祝中华人民共合国成立七十五周年。", "action-submit")
    page = response.content.decode()
    assert "本页含有严重错误" in page and "<mark>中华人民共合国</mark>" in page
    assert "应为：<strong>中华人民共和国</strong>" in page
    with schema_context(county.schema):
        assert not ArticlePage.objects.get(pk=article.pk).live
        assert not TaskState.objects.filter(revision__object_id=str(article.pk)).exists()  # not in review
        assert "中华人民共合国" in article.get_latest_revision_as_object().body  # nothing the editor wrote is lost
    refused = AuditEvent.objects.get(site=county.site, action=AuditAction.REFUSE_WORDING)
    assert refused.detail["hits"][0]["correct"] == "中华人民共和国" and refused.actor_label == "bianji"


def test_a_suspect_term_goes_out_once_an_editor_has_written_why(county):
    admin = county.admin_client()
    article, response = add_article(admin, county, "suspect", "截止目前，全区已完成改造项目 12 个。", "action-publish")
    assert "疑似错误" in response.content.decode() and "<mark>截止目前</mark>" in response.content.decode()
    with schema_context(county.schema):
        assert not ArticlePage.objects.get(pk=article.pk).live
    confirm_url = reverse("wording_confirm", args=(article.pk,))
    page = admin.get(confirm_url).content.decode()
    digest = page.split('name="digest" value="')[1].split('"')[0]
    assert admin.post(confirm_url, {"digest": digest, "reason": ""}).status_code == 400  # a reason is required
    assert admin.post(confirm_url, {"digest": digest, "reason": "引用文件原文"}).status_code == 302
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    response = post_page_form(admin, edit_url, {}, action="publish")
    assert response.status_code == 302
    with schema_context(county.schema):
        assert ArticlePage.objects.get(pk=article.pk).live
    confirmed = AuditEvent.objects.get(site=county.site, action=AuditAction.CONFIRM_WORDING)
    assert confirmed.detail["reason"] == "引用文件原文" and confirmed.detail["hits"][0]["found"] == "截止目前"


def test_a_changed_text_needs_a_new_confirmation_and_an_identity_number_is_doubtful_too(county):
    admin = county.admin_client()
    article, response = add_article(admin, county, "personal", "经查，当事人身份证号码 11010519491231002X。",
                                    "action-publish")
    assert "个人信息" in response.content.decode() and "<mark>11010519491231002X</mark>" in response.content.decode()
    confirm_url = reverse("wording_confirm", args=(article.pk,))
    digest = admin.get(confirm_url).content.decode().split('name="digest" value="')[1].split('"')[0]
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    post_page_form(admin, edit_url, {"body": draftail("经查，当事人身份证号码 11010519491231002X，住址略。")},
                   action="draft")
    response = admin.post(confirm_url, {"digest": digest, "reason": "已征得本人同意"})
    assert response.status_code == 400 and "已修改" in response.content.decode()


def test_a_clean_text_is_published_at_once(county):
    admin = county.admin_client()
    article, _ = add_article(admin, county, "clean", "中华人民共和国成立七十五周年座谈会召开。", "action-publish")
    with schema_context(county.schema):
        assert ArticlePage.objects.get(pk=article.pk).live
    assert not AuditEvent.objects.filter(site=county.site, action__in=[AuditAction.REFUSE_WORDING]).exists()


def test_an_identity_number_in_a_chosen_attachment_holds_the_publish(county):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from tests import files

    with schema_context(county.schema):
        document = get_document_model().objects.create(
            title="补贴名单", file=ContentFile(files.pdf_with_text("Li Si 11010519491231002X"), name="名单.pdf"))
        news = ColumnPage.objects.get(slug="xwdt")
    admin = county.admin_client()
    response = admin.post(reverse("wagtailadmin_pages:add", args=("columns", "articlepage", news.pk)), {
        "title": "补贴名单公示", "slug": "subsidy", "source": "锦江区民政局", "author": "", "summary": "",
        "body": draftail("名单见附件。"), "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-document": str(document.pk), "attachments-0-title": "", "attachments-0-ORDER": "1",
        "attachments-0-id": "", "attachments-0-DELETE": "", "action-publish": "action-publish",
    }, follow=True)
    page = response.content.decode()
    assert "附件《补贴名单》" in page and "<mark>11010519491231002X</mark>" in page
    with schema_context(county.schema):
        article = ArticlePage.objects.get(slug="subsidy")
        assert not article.live and article.attachments.count() == 1
