"""编辑 submits → 审核 approves → published; an editor's submission is not public until approved."""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import Page, TaskState

from columns.models import ArticlePage, ColumnPage
from tenants.provisioning.site_groups import EDITOR, REVIEWER

# The admin's rich-text widget posts Draftail's JSON content state.
DRAFTAIL_TEXT = json.dumps({
    "blocks": [{"key": "a1b2c", "text": "正文", "type": "unstyled", "depth": 0,
                "inlineStyleRanges": [], "entityRanges": [], "data": {}}],
    "entityMap": {},
})


def make_user(site, username, group):
    with schema_context(site.schema):
        user = get_user_model().objects.create_user(username, password=f"{username}-pass-1234")
        user.groups.add(Group.objects.get(name=group))
    client = site.client()
    assert client.post("/admin/login/", {"username": username, "password": f"{username}-pass-1234"}).status_code == 302
    return client


def submit_article(editor, site, title, slug):
    with schema_context(site.schema):
        news = ColumnPage.objects.get(slug="xwdt")
        url = reverse("wagtailadmin_pages:add", args=("columns", "articlepage", news.pk))
    response = editor.post(url, {
        "title": title, "slug": slug, "source": "锦江区融媒体中心", "author": "", "summary": "", "body": DRAFTAIL_TEXT,
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        "action-submit": "Submit",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(site.schema):
        return ArticlePage.objects.get(slug=slug)


def test_editor_cannot_publish_and_the_submission_waits_for_review(county):
    editor = make_user(county, "bianji", EDITOR)
    article = submit_article(editor, county, "待审核的新闻", "pending-news")
    assert not article.live
    assert county.client().get("/xwdt/pending-news/").status_code == 404
    with schema_context(county.schema):
        state = TaskState.objects.get(revision__object_id=str(article.pk), status="in_progress")
        assert state.task.name == "审核"
        assert state.workflow_state.workflow.name == "审核发布"
    # An editor has no publish permission at all.
    with schema_context(county.schema):
        page = Page.objects.get(pk=article.pk)
        editor_user = get_user_model().objects.get(username="bianji")
        assert not page.permissions_for_user(editor_user).can_publish()


def test_reviewer_approval_publishes(county):
    editor = make_user(county, "bianji", EDITOR)
    article = submit_article(editor, county, "审核通过的新闻", "approved-news")
    reviewer = make_user(county, "shenhe", REVIEWER)
    with schema_context(county.schema):
        state = TaskState.objects.get(revision__object_id=str(article.pk), status="in_progress")
        url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", state.pk))
    response = reviewer.post(url, {"comment": "同意发布"})
    assert response.status_code in (200, 302)
    with schema_context(county.schema):
        assert ArticlePage.objects.get(pk=article.pk).live
    assert "审核通过的新闻" in county.client().get("/xwdt/approved-news/").content.decode()


def test_the_reviewers_e_mail_links_to_the_sites_own_admin(county, mailoutbox, settings):
    """Not to WAGTAILADMIN_BASE_URL: one address for the installation, where no site's admin is."""
    settings.WAGTAILADMIN_BASE_URL = "https://console.example.gov.cn"
    make_user(county, "shenhe-mail", REVIEWER)
    with schema_context(county.schema):
        get_user_model().objects.filter(username="shenhe-mail").update(email="shenhe@jinjiang.example.gov.cn")
    article = submit_article(make_user(county, "bianji-mail", EDITOR), county, "待审核的通知", "mail-news")
    sent = [m for m in mailoutbox if "shenhe@jinjiang.example.gov.cn" in m.to]
    assert sent, "the reviewer is told"
    body = sent[0].body + "".join(alt[0] for alt in getattr(sent[0], "alternatives", []))
    assert f"{county.site.base_url()}/admin/pages/{article.pk}/" in body
    assert "console.example.gov.cn" not in body


def test_a_reviewer_of_one_site_cannot_approve_in_another(city, county):
    editor = make_user(county, "bianji", EDITOR)
    article = submit_article(editor, county, "只属于锦江区", "county-only")
    make_user(city, "shenhe", REVIEWER)
    city_reviewer = city.client()
    city_reviewer.post("/admin/login/", {"username": "shenhe", "password": "shenhe-pass-1234"})
    with schema_context(county.schema):
        state = TaskState.objects.get(revision__object_id=str(article.pk), status="in_progress")
        url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", state.pk))
    assert city_reviewer.post(url, {"comment": ""}).status_code in (302, 403, 404)
    with schema_context(county.schema):
        assert not ArticlePage.objects.get(pk=article.pk).live


def test_the_site_administrator_keeps_the_sites_settings_and_an_editor_cannot(county):
    """站点设置 (organiser, filing numbers, colours) and 上级信息接收 belong to the site's administrator."""
    from wagtail.models import Site

    with schema_context(county.schema):
        site_id = Site.objects.get().pk
    admin = county.admin_client()
    settings_url = f"/admin/settings/columns/sitesettings/{site_id}/"
    assert admin.get(settings_url).status_code == 200
    reprint = admin.get("/admin/settings/syndication/reprintsettings/", follow=True)
    assert reprint.status_code == 200 and "接收方式" in reprint.text
    editor = make_user(county, "settings-editor", EDITOR)
    for url in (settings_url, "/admin/settings/syndication/reprintsettings/"):
        refused = editor.get(url, follow=True)  # Wagtail: back to the dashboard, with a message
        assert refused.redirect_chain[-1][0] == "/admin/" and "接收方式" not in refused.text
