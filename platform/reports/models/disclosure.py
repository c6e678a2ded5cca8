"""政府信息公开工作年度报告: a site's annual disclosure report for one year, a page of the column
信息公开 → 政府信息公开年报 (column type DISCLOSURE_REPORT).

Made by the generate action (reports.actions.generate_disclosure_report), never from the "add
page" menu, and published through the site's review workflow. Like the website's report, its
figures are a JSON object (keys of disclosure_figures.FIGURES) and `computed` keeps what the
platform last counted, so regenerating refreshes only what nobody edited; the draft 总体情况
is kept in `computed` too, and replaced only while the office has not rewritten it.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from columns.models import ColumnType, in_column_of_type

from .. import disclosure_figures as df
from ..forms import DisclosureReportForm, field_name
from ..gathering import has_sites_below
from ..panels import FigureTablePanel
from .base import YearlyReportMixin

OVERVIEW_KEY = "overview"


def disclosure_report_slug(year):
    return f"gknb-{year}"


def disclosure_report_title(year, organiser=""):
    return f"{organiser}{year}年政府信息公开工作年度报告"


def _document_rows():
    return [(label, 1, [df.doc_key(kind, measure) for measure, _ in df.DOCUMENT_MEASURES])
            for kind, label in df.DOCUMENT_KINDS]


def _application_rows():
    return [(label, level, [df.app_key(row, column) for column, _ in df.APPLICANT_COLUMNS] if row else None)
            for row, label, level in df.APPLICATION_ROWS]


def _remedy_rows():
    return [(label, 1, [df.rem_key(group, outcome) for outcome, _ in df.OUTCOMES]) for group, label in df.REMEDY_GROUPS]


class DisclosureReportPage(YearlyReportMixin, Page):
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    figures = models.JSONField("报告数据", default=dict, blank=True)
    computed = models.JSONField("平台统计值", default=dict, blank=True, editable=False)
    generated_at = models.DateTimeField("统计时间", null=True, blank=True, editable=False)
    overview = RichTextField("一、总体情况", blank=True,
                             help_text="主动公开、依申请公开、政府信息管理、平台建设、监督保障等情况")
    problems = RichTextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = RichTextField("六、其他需要报告的事项", blank=True, help_text="包括收取信息处理费的情况")

    base_form_class = DisclosureReportForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("year", read_only=True),
        HelpPanel(
            "表中数字由平台根据本站的政策文件和依申请公开记录统计，可以修改；行政许可、处罚、强制和收费"
            "平台无法统计，请如实填写。“重新生成”只更新未经修改的数字和总体情况（见 报告 → 政府信息公开年报）。"
            "提交审核或发布时，申请情况表须平衡。"
        ),
        FieldPanel("overview"),
        FigureTablePanel(_document_rows(), [label for _, label in df.DOCUMENT_MEASURES],
                         heading="二、主动公开政府信息情况：第二十条第（一）项"),
        MultiFieldPanel([FieldPanel(field_name(key)) for key in [*(d[0] for d in df.DECISIONS), df.FEES_KEY]],
                        heading="二、主动公开政府信息情况：第二十条第（五）（六）（八）项"),
        FigureTablePanel(_application_rows(), [label for _, label in df.APPLICANT_COLUMNS],
                         heading="三、收到和处理政府信息公开申请情况"),
        FigureTablePanel(_remedy_rows(), [label for _, label in df.OUTCOMES],
                         heading="四、政府信息公开行政复议、行政诉讼情况"),
        FieldPanel("problems"),
        FieldPanel("other_matters"),
    ]
    parent_page_types = ["columns.ColumnPage"]
    subpage_types = []
    # Created by "生成年度报告" (or the command) only: the page needs its year and its counts.
    is_creatable = False
    # The site's own report: home → 信息公开 → 政府信息公开年报 → report (reports.signals).
    own_depth = 5
    duplicate_year_message = "本栏目已有 {year} 年的政府信息公开工作年度报告"

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.DISCLOSURE_REPORT)

    def report_name(self):
        return f"{self.year} 年政府信息公开工作年度报告"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        figures = self.figures or {}
        context["documents"] = [
            (label, [df.number(figures.get(df.doc_key(kind, m))) for m, _ in df.DOCUMENT_MEASURES])
            for kind, label in df.DOCUMENT_KINDS
        ]
        context["document_measures"] = [label for _, label in df.DOCUMENT_MEASURES]
        context["decisions"] = [(label, article, figures.get(key)) for key, label, article in df.DECISIONS]
        context["fees"] = figures.get(df.FEES_KEY)
        context["applicant_columns"] = [label for _, label in df.APPLICANT_COLUMNS]
        context["organisation_columns"] = context["applicant_columns"][1:]
        context["applications"] = df.application_table(figures)
        context["remedy_groups"] = df.REMEDY_GROUPS
        context["outcomes"] = [label for _, label in df.OUTCOMES]
        context["remedies"] = df.remedy_table(figures)
        site = getattr(request, "site_tenant", None)
        context["gathering_url"] = f"/gknb/{self.year}/" if site is not None and has_sites_below(site) else ""
        return context
