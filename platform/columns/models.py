"""Page types of the standard column tree.

Only the types the skeleton needs live here for now: the home page, a column page
typed by the standard ColumnType list, and a news/notice article.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from themes.palettes import DEFAULT_PALETTE, PALETTE_CHOICES, get_palette

from .permissions import MandatedPageMixin


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


class HomePage(MandatedPageMixin, Page):
    """首页: one per site, the root of its column tree. Always mandated."""

    is_mandated = True

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


class ColumnPage(MandatedPageMixin, Page):
    """栏目: lists its children. Columns of the standard skeleton are marked mandated."""

    column_type = models.CharField("栏目类型", max_length=20, choices=ColumnType.choices, default=ColumnType.OTHER)
    description = models.TextField("栏目描述", blank=True)
    # Set by the skeleton only: site accounts cannot delete, move or unpublish these.
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


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """站点设置: the only things a site may vary (the unified standard fixes everything else).

    The 网站标识码 is not here: it belongs to the platform's registry and is shown from there.
    """

    organiser = models.CharField("主办单位", max_length=100)
    undertaker = models.CharField("承办单位", max_length=100, blank=True)
    icp_number = models.CharField(
        "ICP备案号", max_length=50, blank=True, help_text="例如 蜀ICP备12345678号",
        validators=[RegexValidator(r"^[\u4e00-\u9fff]ICP备\d{8,}号(-\d+)?$", "格式应为 蜀ICP备12345678号")],
    )
    police_number = models.CharField(
        "公安机关备案号", max_length=50, blank=True, help_text="例如 川公网安备 51010402000001号",
        validators=[RegexValidator(r"^[\u4e00-\u9fff]公网安备\s?\d{14}号$", "格式应为 川公网安备 51010402000001号")],
    )
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    contact_address = models.CharField("联系地址", max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="站点标志", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    colour_scheme = models.CharField(
        "配色方案", max_length=20, choices=PALETTE_CHOICES, default=DEFAULT_PALETTE,
        help_text="只能从经过对比度检查的配色中选择",
    )

    panels = [
        MultiFieldPanel([FieldPanel("organiser"), FieldPanel("undertaker")], heading="主办与承办"),
        MultiFieldPanel([FieldPanel("icp_number"), FieldPanel("police_number")], heading="备案信息"),
        MultiFieldPanel(
            [FieldPanel("contact_phone"), FieldPanel("contact_email"), FieldPanel("contact_address")],
            heading="联系方式",
        ),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("colour_scheme")], heading="外观"),
    ]

    class Meta:
        verbose_name = "站点设置"

    @property
    def palette(self):
        return get_palette(self.colour_scheme)
