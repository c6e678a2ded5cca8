"""办事指南: one administrative service and everything a citizen needs to use it.

The national inspection rules fail a site whose service guides miss key
elements, so a guide cannot go live without them. The required elements are
ordinary non-blank model fields, which gives exactly "required to publish, not to
save a draft" with Wagtail's own machinery:

- Page.save() runs full_clean() only for a live page (drafts get minimal_clean),
  so publishing a revision, programmatically or from the admin, checks them;
- the admin form defers the required check of text fields on "save draft"
  (Wagtail 7+, `defer_required_fields`) and enforces it on publish and submit;
- bulk publishing, which skips the form, is checked first (wagtail_hooks.py).

A `clean()` testing `self.live` would not do: the admin form calls the model's
clean() on drafts too, and a live page's drafts have `live=True`.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from columns.models import ColumnType, in_column_of_type

from .forms import RichTextElementFormField, ServiceGuideForm, has_content


class RichTextElementField(RichTextField):
    """Rich text whose empty paragraphs count as blank, in the model's validation and in the admin form."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if has_content(value) else ""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextElementFormField, **kwargs})


def element(field_class, label, **kwargs):
    """A required element of the guide: blank only in drafts, and the message names it."""
    return field_class(label, error_messages={"blank": f"缺少办事指南要素“{label}”，不能发布。"}, **kwargs)


class ServiceGuidePage(Page):
    """办事指南 with the elements the inspection indicators require."""

    REQUIRED_ELEMENTS = (
        "item_name", "legal_basis", "conditions", "materials", "process", "time_limit", "fees",
        "place_and_hours", "phone",
    )

    item_name = element(models.CharField, "事项名称", max_length=200)
    department = models.CharField("实施主体", max_length=100, blank=True, help_text="例如 锦江区市场监督管理局")
    legal_basis = element(RichTextElementField, "设定依据", help_text="法律、法规、规章名称及条款")
    conditions = element(RichTextElementField, "申请条件")
    materials = element(RichTextElementField, "办理材料", help_text="材料名称、份数、原件或复印件")
    process = element(RichTextElementField, "办理流程", help_text="可以是文字或流程图")
    time_limit = element(
        models.CharField, "办理时限", max_length=200, help_text="例如 法定时限20个工作日，承诺时限5个工作日"
    )
    fees = element(models.TextField, "收费标准", help_text="不收费的填写“不收费”")
    place_and_hours = element(models.TextField, "办理地点和时间")
    phone = element(models.CharField, "咨询电话", max_length=50)
    online_url = models.URLField("网上办理地址", blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=50, blank=True)

    base_form_class = ServiceGuideForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("item_name"), FieldPanel("department")], heading="事项"),
        MultiFieldPanel(
            [FieldPanel("legal_basis"), FieldPanel("conditions"), FieldPanel("materials"), FieldPanel("process")],
            heading="依据、条件、材料与流程",
        ),
        MultiFieldPanel(
            [FieldPanel("time_limit"), FieldPanel("fees"), FieldPanel("place_and_hours")], heading="时限、收费与地点",
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("complaint_phone"), FieldPanel("online_url")], heading="咨询与办理渠道",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("item_name"),
        index.SearchField("department"),
        index.SearchField("conditions"),
        index.SearchField("materials"),
    ]
    parent_page_types = ["columns.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.SERVICE)

    @property
    def content_source(self):
        return self.department or self.get_site().site_name
