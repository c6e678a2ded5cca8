"""Where the column app's page types may be created, and what they show."""

from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from columns.models import ArticlePage, ColumnPage, HomePage
from tests.factories import ArticleFactory


def test_page_types_are_allowed_only_in_their_places(county):
    with schema_context(county.schema):
        root = Page.get_first_root_node()
        home = HomePage.objects.get()
        news = ColumnPage.objects.get(slug="xwdt")
        article = ArticleFactory(parent=news, revision=False)
        assert HomePage.can_create_at(root) is False, "one home page per site (already there)"
        assert ColumnPage.can_create_at(home) and ColumnPage.can_create_at(news), "columns and sub-columns"
        assert ArticlePage.can_create_at(news)
        assert not ArticlePage.can_create_at(home), "articles live in a column"
        assert not ArticlePage.can_create_at(article) and not ColumnPage.can_create_at(article)


def test_an_article_shows_its_metadata(county):
    with schema_context(county.schema):
        article = ArticleFactory(title="锦江区召开安全生产会议", slug="safety", source="锦江区应急管理局",
                                 author="王芳", body="<p>会议部署了安全生产工作。</p>")
        stamp = timezone.localtime(article.first_published_at).strftime("%Y-%m-%d %H:%M")
    body = county.client().get("/xwdt/safety/").content.decode()
    for text in ("锦江区召开安全生产会议", "来源：锦江区应急管理局", "王芳", "会议部署了安全生产工作", stamp,
                 f'<meta name="PubDate" content="{stamp}">', '<meta name="ContentSource" content="锦江区应急管理局">',
                 '<meta name="ColumnName" content="新闻动态">'):
        assert text in body, text
