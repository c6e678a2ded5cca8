"""What a receiving site keeps of a distributed item: a 转载 page pointing at the library row, and its choice.

The content itself is stored once, in the public schema (library.Distribution); a
ReprintPage holds only the row's id and the title its lists and search need, and reads
the rest when it is shown. So a revision, a withdrawal or a repeal is in every copy's next
render once the source commits it; catching up (syndication.sync) clears the edge's copy.
"""

from django.db import models
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Page
from wagtail.search import index

from columns.models import ColumnType, in_column_of_type
from library.models import Distribution


class ReprintPage(Page):
    """转载: an item a site above pushed down, shown with its source and a link back to the original."""

    distribution_id = models.IntegerField("分发编号", unique=True, editable=False)

    # Made by syndication.sync only: the content is the source's, revised there.
    is_creatable = False
    # The site's own search index (search.index) has the copies; Wagtail's admin search is left
    # out of the worker's path (it would index each copy again on every write).
    search_auto_update = False
    content_panels = [
        HelpPanel(
            "本页内容由上级站点分发，随原文更新、撤回或废止而同步变化，不能在本站修改。"
            "如不希望显示，可取消发布：以后的更新不会再发布到本站。"
        )
    ]
    promote_panels = [FieldPanel("slug")]
    parent_page_types = ["columns.ColumnPage"]
    subpage_types = []
    search_fields = [*Page.search_fields, index.SearchField("body_text")]

    class Meta:
        verbose_name = "上级信息转载"
        verbose_name_plural = "上级信息转载"

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.REPRINT)

    @cached_property
    def distribution(self):
        return Distribution.objects.select_related("source_site").filter(pk=self.distribution_id).first()

    @property
    def body_text(self):
        distribution = self.distribution
        return distribution.body if distribution else ""

    @property
    def summary_text(self):
        distribution = self.distribution
        return distribution.summary if distribution else ""

    def serve(self, request, *args, **kwargs):
        """Withdrawn at the source (or gone with its site): 410 with a notice, whatever this site has applied."""
        distribution = self.distribution
        if distribution is None or distribution.is_withdrawn:

            return TemplateResponse(
                request, "syndication/withdrawn.html", {"page": self, "self": self, "distribution": distribution},
                status=410,
            )
        return super().serve(request, *args, **kwargs)


class AcceptMode(models.TextChoices):
    AUTO = "auto", "自动接收：上级分发的信息直接发布到本站“上级信息”栏目"
    REVIEW = "review", "审核后接收：由本站编辑逐条决定是否接收"


@register_setting(icon="download")
class ReprintSettings(BaseGenericSetting):
    """上级信息接收: whether items pushed down by the sites above appear at once or after review."""

    accept_mode = models.CharField("接收方式", max_length=10, choices=AcceptMode.choices, default=AcceptMode.AUTO)

    panels = [FieldPanel("accept_mode")]

    class Meta:
        verbose_name = "上级信息接收"
