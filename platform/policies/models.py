"""政策文件, 政策解读 and the 政策文件库 column (政府信息公开).

Each page type lives only in the column whose ColumnType matches it: a policy
document in a 政策文件 column, an interpretation in a 政策解读 column. Parent
models alone cannot say that (every column is a ColumnPage), so the types also
check the parent's column_type in `can_exist_under`, which Wagtail asks before
offering, creating and moving a page.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from columns.models import ColumnPage, ColumnType, in_column_of_type

from .choices import VALIDITY_VERBS, DocumentKind, InterpretationKind, Topic, Validity
from .forms import PolicyInterpretationForm
from .library import library_context
from .numbers import normalise_document_number

ATTACHMENT_EXTENSIONS = ("pdf", "ofd", "doc", "docx", "wps")
ATTACHMENT_MAX_MB = 20
ATTACHMENT_MAX_BYTES = ATTACHMENT_MAX_MB * 1024 * 1024
VIDEO_EXTENSIONS = ("mp4",)


def file_extension(document):
    return document.file.name.rsplit(".", 1)[-1].lower() if "." in document.file.name else ""


class PolicyDocumentPage(Page):
    """政策文件 with its disclosure metadata, validity and attachments.

    The 发文字号 is kept as typed (it is part of the official record) and also in
    a canonical form, refreshed on every save, that the library's search matches.
    """

    index_number = models.CharField(
        "索引号", max_length=50, help_text="例如 11510104MB0000000X/2024-00001",
        validators=[RegexValidator(r"^[A-Za-z0-9/-]+$", "索引号只能包含字母、数字、“-”和“/”。")],
    )
    topic = models.CharField("主题分类", max_length=30, choices=Topic.choices)
    document_kind = models.CharField(
        "文件类别", max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER,
        help_text="规章、行政规范性文件计入政府信息公开工作年度报告的主动公开情况",
    )
    issuing_organ = models.CharField("发文机关", max_length=100, help_text="例如 锦江区人民政府")
    document_number = models.CharField(
        "发文字号", max_length=50, blank=True, help_text="例如 锦府发〔2025〕12号；无文号可留空"
    )
    document_number_normalised = models.CharField("规范化发文字号", max_length=50, blank=True, editable=False)
    written_date = models.DateField("成文日期", null=True)
    published_date = models.DateField("发布日期", null=True, default=timezone.localdate)
    backdate_reason = models.CharField(
        "发布日期早于实际发布的说明", max_length=500, blank=True,
        help_text="发布日期比本站实际发布早一天以上的，须写明原因（例如纸质文件已于该日印发），"
                  "否则不能发布，已发布的列为“倒签”严重错误待核查",
    )
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, default=Validity.IN_FORCE)
    validity_changed_date = models.DateField(
        "修订或废止日期", null=True, blank=True, help_text="有效性为“已修订”或“已废止”时必填"
    )
    replaced_by = models.ForeignKey(
        "policies.PolicyDocumentPage", verbose_name="现行文件", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="replaces", help_text="修订或替代本文件的文件",
    )
    keywords = models.CharField("关键词", max_length=200, blank=True, help_text="多个关键词用空格分隔")
    body = RichTextField("正文", blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("index_number"), FieldPanel("topic"), FieldPanel("document_kind")]),
                FieldRowPanel([FieldPanel("issuing_organ"), FieldPanel("document_number")]),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("published_date")]),
                FieldPanel("backdate_reason"),
                FieldPanel("keywords"),
            ],
            heading="信息公开元数据",
        ),
        MultiFieldPanel(
            [FieldPanel("validity"), FieldPanel("validity_changed_date"), FieldPanel("replaced_by")],
            heading="有效性",
        ),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("document_number"),
        index.SearchField("issuing_organ"),
        index.SearchField("keywords"),
        index.SearchField("body"),
        index.FilterField("topic"),
        index.FilterField("validity"),
        index.FilterField("published_date"),
    ]
    parent_page_types = ["columns.ColumnPage", "policies.PolicyLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.POLICY)

    def clean(self):
        super().clean()
        verb = VALIDITY_VERBS.get(self.validity)
        if verb and not self.validity_changed_date:
            raise ValidationError(
                {"validity_changed_date": f"有效性为“{self.get_validity_display()}”时，必须填写{verb}日期。"}
            )
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            raise ValidationError({"replaced_by": "现行文件不能是本文件自身。"})

    def save(self, *args, **kwargs):
        self.document_number_normalised = normalise_document_number(self.document_number)
        return super().save(*args, **kwargs)

    @property
    def validity_verb(self):
        """废止 / 修订 for a document no longer in force, else None."""
        return VALIDITY_VERBS.get(self.validity)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        context["interpretations"] = self.interpretations.live().order_by("-first_published_at")
        return context


class PolicyAttachment(Orderable):
    """附件 of a policy document: only the formats a disclosure may use, at most 20 MB each."""

    page = ParentalKey(PolicyDocumentPage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def clean(self):
        super().clean()
        if not self.document_id:
            return
        document = self.document
        extension = file_extension(document)
        if extension not in ATTACHMENT_EXTENSIONS:
            raise ValidationError(
                {"document": f"附件“{document.title}”的格式为 {extension or '未知'}，"
                             f"只允许 PDF、OFD、DOC、DOCX、WPS 文件。"}
            )
        size = document.get_file_size()
        if size is not None and size > ATTACHMENT_MAX_BYTES:
            raise ValidationError(
                {"document": f"附件“{document.title}”大小为 {filesizeformat(size)}，"
                             f"超过 {ATTACHMENT_MAX_MB} MB 的上限。"}
            )

    @property
    def extension(self):
        return file_extension(self.document)

    @property
    def size(self):
        """Bytes, or None if the file is missing. Uploads record it; documents made in code get it here once."""
        return self.document.get_file_size()


class PolicyInterpretationPage(Page):
    """政策解读: explains one policy document and links back to it.

    The policy is required to publish but not to save a draft: the field is
    nullable, so Wagtail defers its check on drafts, and deleting a policy leaves
    its interpretations in place (unlinked) rather than deleting them.
    """

    policy = models.ForeignKey(
        PolicyDocumentPage, verbose_name="解读的政策文件", null=True, on_delete=models.SET_NULL,
        related_name="interpretations",
        error_messages={"blank": "请选择所解读的政策文件：政策解读必须关联其政策文件。"},
    )
    kind = models.CharField(
        "解读形式", max_length=10, choices=InterpretationKind.choices, default=InterpretationKind.TEXT
    )
    source = models.CharField("来源", max_length=100, blank=True, help_text="留空则使用所解读文件的发文机关")
    body = RichTextField("正文", blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="图解", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="图文解读的图片",
    )
    video_url = models.URLField("视频地址", blank=True, help_text="视频解读须填写视频地址或上传视频文件")
    video = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="视频文件", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="MP4 格式",
    )

    base_form_class = PolicyInterpretationForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("policy"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("source")]),
        FieldPanel("body"),
        FieldPanel("image"),
        MultiFieldPanel([FieldPanel("video_url"), FieldPanel("video")], heading="视频"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["columns.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.INTERPRETATION)

    def clean(self):
        super().clean()
        if self.kind == InterpretationKind.VIDEO and not (self.video_url or self.video_id):
            raise ValidationError({"video_url": "视频解读须填写视频地址或上传视频文件。"})
        if self.video_id and file_extension(self.video) not in VIDEO_EXTENSIONS:
            raise ValidationError({"video": f"视频文件“{self.video.title}”不是 MP4 格式。"})

    @property
    def content_source(self):
        if self.source:
            return self.source
        return self.policy.issuing_organ if self.policy_id else ""


class PolicyLibraryPage(ColumnPage):
    """政策文件库: the 政策文件 column, searchable and filterable.

    A column (so the skeleton can mandate it and lists treat it as one) that lists
    every live policy document of its site, not only its own children: policies
    published in sub-columns or by older columns belong to the library too.
    """

    content_panels = [*Page.content_panels, FieldPanel("description")]
    subpage_types = ["policies.PolicyDocumentPage"]

    class Meta:
        verbose_name = "政策文件库"
        verbose_name_plural = "政策文件库"

    def save(self, *args, **kwargs):
        self.column_type = ColumnType.POLICY
        return super().save(*args, **kwargs)

    def documents(self):
        site = self.get_site()
        return PolicyDocumentPage.objects.live().descendant_of(site.root_page if site else self)

    def get_context(self, request, *args, **kwargs):
        # Page's context, not ColumnPage's: the library lists documents, not its children.
        context = Page.get_context(self, request, *args, **kwargs)
        context.update(library_context(self.documents(), request.GET))
        return context
