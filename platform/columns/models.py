"""Page types of the standard column tree.

Only the types the skeleton needs live here for now: the home page, a column page
typed by the standard ColumnType list, and a news/notice article.
"""

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class ColumnType(models.TextChoices):
    """The column types of the national meta-tag standard (ColumnType)."""

    HOME = "home", "首页"
    ABOUT = "about", "概况信息"
    ORGANISATION = "organisation", "机构职能"
    DISCLOSURE = "disclosure", "政府信息公开"
    POLICY = "policy", "政策文件"
    INTERPRETATION = "interpretation", "政策解读"
    NEWS = "news", "新闻动态"
    NOTICE = "notice", "通知公告"
    SERVICE = "service", "办事服务"
    INTERACTION = "interaction", "互动交流"
    MAILBOX = "mailbox", "咨询投诉"
    CONSULTATION = "consultation", "征集调查"
    INTERVIEW = "interview", "在线访谈"
    TOPIC = "topic", "专题专栏"
    OTHER = "other", "其他"


class HomePage(Page):
    """首页: one per site, the root of its column tree."""

    intro = models.TextField("简介", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["columns.ColumnPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["columns"] = self.get_children().live().in_menu().specific()
        context["latest"] = (
            ArticlePage.objects.live().descendant_of(self).order_by("-published_at").only(
                "title", "url_path", "published_at"
            )[:8]
        )
        return context


class ColumnPage(Page):
    """栏目: lists its children. Columns of the standard skeleton are marked mandated."""

    column_type = models.CharField("栏目类型", max_length=20, choices=ColumnType.choices, default=ColumnType.OTHER)
    description = models.TextField("栏目描述", blank=True)
    # Set by the skeleton only; issue #3 stops site editors deleting, moving or
    # unpublishing these.
    is_mandated = models.BooleanField("规定栏目", default=False, editable=False)

    content_panels = [*Page.content_panels, FieldPanel("column_type"), FieldPanel("description")]
    subpage_types = ["columns.ColumnPage", "columns.ArticlePage"]
    parent_page_types = ["columns.HomePage", "columns.ColumnPage"]

    class Meta:
        verbose_name = "栏目"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = self.get_children().live().specific().order_by("-first_published_at")[:20]
        return context


class ArticlePage(Page):
    """新闻、通知: an item with its source, author and publication time."""

    source = models.CharField("来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=50, blank=True)
    published_at = models.DateTimeField("发布时间", default=timezone.now, db_index=True)
    body = RichTextField("正文", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("source"),
        FieldPanel("author"),
        FieldPanel("published_at"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    subpage_types = []
    parent_page_types = ["columns.ColumnPage"]

    class Meta:
        verbose_name = "文章"
