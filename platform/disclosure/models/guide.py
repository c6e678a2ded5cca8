"""政府信息公开指南 and 政府信息公开制度: two standard pages under 信息公开 that every site opens with.

Their statutory text is the template's (disclosure/guide_page.html, rules_page.html), filled when
shown with the site's own office, address, hours and channels from 站点设置 and with the links of
its 依申请公开 and 政府信息公开年报 columns, so changing a phone number in 站点设置 changes the guide.
Each page keeps an editable part for what only the body can say. Like 依申请公开 they are columns
of their own type, so the skeleton makes them and monitoring does not count them as empty columns.
"""

from django.utils import timezone
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from columns.models import ColumnPage, ColumnType, SiteSettings, in_column_of_type, path_on_site
from library.models import ReportKind, report_due

from .. import clock


class _DisclosureStandardPage(ColumnPage):
    column_kind = None  # the ColumnType the page always has

    body = RichTextField("补充内容", blank=True)

    subpage_types = []
    parent_page_types = ["columns.ColumnPage"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.column_type = self.column_kind
        return super().save(*args, **kwargs)

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.DISCLOSURE)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        settings = SiteSettings.here()
        context["contact"] = settings.disclosure_contact() if settings else {}
        context["clock"] = clock
        linked = [ColumnType.APPLICATION, ColumnType.DISCLOSURE_REPORT]
        links = dict(ColumnPage.objects.live().filter(column_type__in=linked).values_list("column_type", "url_path"))
        context["application_url"], context["reports_url"] = (
            path_on_site(links[kind]) if kind in links else "" for kind in linked)
        site = getattr(request, "site_tenant", None)
        if site is not None:
            due = report_due(ReportKind.DISCLOSURE, site.level, timezone.localdate().year - 1)
            context["report_due"] = f"{due.month} 月 {due.day} 日"
        return context


class GuidePage(_DisclosureStandardPage):
    column_kind = ColumnType.GUIDE

    content_panels = [
        *Page.content_panels,
        HelpPanel("指南正文按《中华人民共和国政府信息公开条例》生成，受理机构、地址、时间和联系方式"
                  "取自 设置 → 站点设置；此处填写需要补充说明的内容。"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "政府信息公开指南"
        verbose_name_plural = "政府信息公开指南"


class RulesPage(_DisclosureStandardPage):
    column_kind = ColumnType.RULES

    content_panels = [
        *Page.content_panels,
        HelpPanel("页面列出《中华人民共和国政府信息公开条例》要求建立的各项制度；此处填写本机关制定的制度文件。"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "政府信息公开制度"
        verbose_name_plural = "政府信息公开制度"
