"""Page types of the standard column tree.

Only the types the skeleton needs live here for now: the home page, a column page
typed by the standard ColumnType list, and a news/notice article.
"""

from datetime import UTC, datetime

from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Value
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageViewRestriction, Site
from wagtail.search import index

from themes.palettes import DEFAULT_PALETTE, PALETTE_CHOICES, get_palette

from .permissions import MandatedPageMixin


class ColumnType(models.TextChoices):
    """The column types of the national meta-tag standard (ColumnType)."""

    HOME = "home", "首页"
    ABOUT = "about", "概况信息"
    ORGANISATION = "organisation", "机构职能"
    DISCLOSURE = "disclosure", "政府信息公开"
    APPLICATION = "application", "依申请公开"
    GUIDE = "guide", "政府信息公开指南"
    RULES = "rules", "政府信息公开制度"
    DISCLOSURE_REPORT = "disclosure_report", "政府信息公开年报"
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
    # Items pushed down by the sites above (syndication): made on the first one a site receives.
    REPRINT = "reprint", "上级信息"
    OTHER = "other", "其他"


# The home page's blocks, in display order, and their sizes.
HOME_BLOCK_TYPES = [ColumnType.NEWS, ColumnType.NOTICE, ColumnType.POLICY, ColumnType.INTERPRETATION]
HOME_BLOCK_SIZE = 6
HEADLINE_COUNT = 5
QUICK_LINK_COUNT = 8
COLUMN_PAGE_SIZE = 20


def path_on_site(url_path):
    """A page's address on its site's own host: its url_path without the home page's segment.

    "/home/xwdt/a-1/" -> "/xwdt/a-1/", "/home/" -> "/". Needs no URLconf or Site look-up, so it
    serves code outside a request (jobs, the console working inside a site).
    """
    return "/" + "".join(f"{part}/" for part in url_path.strip("/").split("/")[1:])


_ITEM_FIELDS = ("title", "url_path", "first_published_at", "depth", "path")


def latest_items_query(column):
    """Live non-column items anywhere below `column`, newest first, with only what a list shows."""
    return (
        Page.objects.live().descendant_of(column).not_type(ColumnPage)
        .only(*_ITEM_FIELDS).order_by("-first_published_at", "-pk")
    )


def _newest_first(page):
    # As PostgreSQL orders "first_published_at DESC": a page never published (NULL) comes first.
    return (page.first_published_at is None, page.first_published_at or datetime.min.replace(tzinfo=UTC), page.pk)


def items_of_columns(latest=(), children=(), *, latest_count, child_count):
    """{column pk: pages}: the newest items below each of `latest`, the first live children of each
    of `children` in tree order, all in one statement.

    Each part keeps its own ORDER BY and LIMIT inside a UNION ALL, so it is planned as it would
    be alone; rows are put back in each part's order here, since a UNION ALL promises none.
    """
    parts = [
        latest_items_query(column).annotate(block_key=Value(column.pk))[:latest_count] for column in latest
    ] + [
        Page.objects.live().child_of(column).only(*_ITEM_FIELDS).order_by("path")
        .annotate(block_key=Value(column.pk))[:child_count]
        for column in children
    ]
    found = {column.pk: [] for column in [*latest, *children]}
    if not parts:
        return found
    for page in parts[0].union(*parts[1:], all=True):
        found[page.block_key].append(page)
    for column in latest:
        found[column.pk].sort(key=_newest_first, reverse=True)
    for column in children:
        found[column.pk].sort(key=lambda page: page.path)
    return found


class HomePage(MandatedPageMixin, Page):
    """首页: one per site, the root of its column tree. Always mandated."""

    is_mandated = True

    intro = models.TextField("简介", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # The annual report (reports.AnnualReportPage) is a child of the home page: statutorily "on the home page".
    subpage_types = ["columns.ColumnPage", "reports.AnnualReportPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "首页"

    def get_context(self, request, *args, **kwargs):
        """Everything on the home page comes from content, in a fixed number of queries.

        - headlines: the newest articles marked 头条 (the banner);
        - column_blocks: the newest items of each standard information column;
        - quick_links: what the 办事服务 and 互动交流 columns contain.
        However much a site publishes or however many blocks it has, that is three queries: the
        headlines, the columns, and every column's items together (tests/columns).
        """
        context = super().get_context(request, *args, **kwargs)
        context["headlines"] = (
            ArticlePage.objects.live().descendant_of(self).filter(is_headline=True)
            .select_related("feature_image").order_by("-first_published_at")[:HEADLINE_COUNT]
        )
        quick_types = [ColumnType.SERVICE, ColumnType.INTERACTION]
        columns = list(
            ColumnPage.objects.live().descendant_of(self).filter(
                Q(column_type__in=HOME_BLOCK_TYPES, depth__lte=self.depth + 2)
                | Q(column_type__in=quick_types, depth=self.depth + 1)
            )
        )
        blocks = sorted(
            (c for c in columns if c.column_type in HOME_BLOCK_TYPES),
            key=lambda c: (HOME_BLOCK_TYPES.index(c.column_type), c.path),
        )
        quick = {c.column_type: c for c in columns if c.column_type in quick_types}
        items = items_of_columns(
            blocks, list(quick.values()), latest_count=HOME_BLOCK_SIZE, child_count=QUICK_LINK_COUNT
        )
        context["column_blocks"] = [{"column": column, "items": items[column.pk]} for column in blocks]
        context["quick_links"] = {
            key: {"column": quick[ctype], "items": items[quick[ctype].pk]}
            for key, ctype in (("services", ColumnType.SERVICE), ("interaction", ColumnType.INTERACTION))
            if ctype in quick
        }
        return context

    def get_view_restrictions(self):
        """Restrictions on this page and its ancestors in one query (Wagtail's own takes two).

        A home page's only ancestor is the tree's root, and neither is an alias, so the
        ancestors are exactly the prefixes of its path; an alias keeps Wagtail's resolution.
        """
        if self.alias_of_id:
            return super().get_view_restrictions()
        prefixes = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(page__path__in=prefixes)


def in_column_of_type(parent, column_type):
    """True when `parent` is a column of `column_type`: typed pages live only in their own kind of column."""
    return getattr(parent.specific, "column_type", None) == column_type


class ColumnPage(MandatedPageMixin, Page):
    """栏目: lists its children. Columns of the standard skeleton are marked mandated."""

    column_type = models.CharField("栏目类型", max_length=20, choices=ColumnType.choices, default=ColumnType.OTHER)
    description = models.TextField("栏目描述", blank=True)
    # Set by the skeleton only: site accounts cannot delete, move or unpublish these.
    is_mandated = models.BooleanField("规定栏目", default=False, editable=False)

    content_panels = [*Page.content_panels, FieldPanel("column_type"), FieldPanel("description")]
    # Typed pages check the column type themselves (can_exist_under): a policy only in 政策文件, etc.
    subpage_types = [
        "columns.ColumnPage", "columns.ArticlePage", "policies.PolicyLibraryPage", "policies.PolicyDocumentPage",
        "policies.PolicyInterpretationPage", "services.ServiceGuidePage", "interaction.MailboxPage",
        "interaction.ConsultationPage", "syndication.ReprintPage", "disclosure.ApplicationPage",
        "disclosure.GuidePage", "disclosure.RulesPage",
        "reports.DisclosureReportPage",
    ]
    parent_page_types = ["columns.HomePage", "columns.ColumnPage"]

    class Meta:
        verbose_name = "栏目"

    def get_context(self, request, *args, **kwargs):
        """Sub-columns, then this column's items newest first, 20 a page.

        A bad ?page= (text, zero, past the end) shows the nearest real page, never an error.
        """
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live()
        context["subcolumns"] = children.type(ColumnPage).specific()
        items = children.not_type(ColumnPage).order_by("-first_published_at", "-pk")
        paginator = Paginator(items, COLUMN_PAGE_SIZE)
        context["paginator"] = paginator
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        return context


class ArticlePage(Page):
    """新闻、通知: an item with its source, author, publication time and attachments.

    The publication time is Wagtail's `first_published_at`, the same field every list
    and the PubDate meta tag use, so a date never disagrees between pages.
    """

    source = models.CharField("来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=50, blank=True)
    summary = models.TextField("摘要", blank=True, max_length=300)
    is_headline = models.BooleanField("头条", default=False, help_text="在首页焦点图中显示")
    feature_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="题图", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField("正文", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("source"),
        FieldPanel("author"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("is_headline"), FieldPanel("feature_image")], heading="首页展示"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    subpage_types = []
    parent_page_types = ["columns.ColumnPage"]

    class Meta:
        verbose_name = "文章"


class ArticleAttachment(Orderable):
    """附件 of an article: a document of the site's library."""

    page = ParentalKey(ArticlePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("显示名称", max_length=200, blank=True, help_text="留空则使用文件标题")

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"

    @property
    def label(self):
        return self.title or self.document.title


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
    # The disclosure office (政府信息公开工作机构), as the 政府信息公开指南 tells the public how to reach it.
    disclosure_office = models.CharField("政府信息公开工作机构", max_length=100, blank=True,
                                         help_text="例如 锦江区人民政府办公室；留空则为主办单位")
    disclosure_address = models.CharField("受理地址", max_length=200, blank=True, help_text="留空则为联系地址")
    disclosure_postcode = models.CharField(
        "邮政编码", max_length=6, blank=True, validators=[RegexValidator(r"^\d{6}$", "邮政编码为 6 位数字")],
    )
    disclosure_hours = models.CharField("受理时间", max_length=100, blank=True,
                                        help_text="例如 工作日 9:00—12:00，13:30—17:30")
    disclosure_phone = models.CharField("咨询电话", max_length=50, blank=True, help_text="留空则为联系电话")
    disclosure_fax = models.CharField("传真", max_length=50, blank=True)
    disclosure_email = models.EmailField("电子邮箱", blank=True, help_text="留空则为联系邮箱")
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
        MultiFieldPanel(
            [FieldPanel("disclosure_office"), FieldPanel("disclosure_address"), FieldPanel("disclosure_postcode"),
             FieldPanel("disclosure_hours"), FieldPanel("disclosure_phone"), FieldPanel("disclosure_fax"),
             FieldPanel("disclosure_email")],
            heading="政府信息公开工作机构（显示在政府信息公开指南中）",
        ),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("colour_scheme")], heading="外观"),
    ]

    class Meta:
        verbose_name = "站点设置"

    @classmethod
    def here(cls):
        """The settings of the site whose schema the connection is in (its one Wagtail Site); None before
        the site has any (unlike `for_site`, never creates the row: a GET must not write)."""
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        return cls.objects.filter(site=site).first() if site else None

    def disclosure_contact(self):
        """The office's name and how to reach it, each falling back to the site's general contact."""
        return {
            "office": self.disclosure_office or self.organiser,
            "address": self.disclosure_address or self.contact_address,
            "postcode": self.disclosure_postcode, "hours": self.disclosure_hours,
            "phone": self.disclosure_phone or self.contact_phone, "fax": self.disclosure_fax,
            "email": self.disclosure_email or self.contact_email,
        }

    @property
    def palette(self):
        return get_palette(self.colour_scheme)
