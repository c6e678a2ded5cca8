"""年度报表: a site's 政府网站工作年度报表 for one year, a page directly under its home page.

Made by the generate action (reports.actions), never from the "add page" menu: one per year
under the home page. Not a unique column: folding a township into its county copies the
township's reports into a column of the county's site, beside the county's own of the same year.

Its figures are a JSON object keyed as in figures.SECTIONS; `computed` keeps what the platform
counted when it last generated them, so regenerating can tell an editor's change from a stale
count (see actions.generate_annual_report).
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..figures import SECTIONS, display
from ..forms import AnnualReportForm, field_name
from ..gathering import has_sites_below
from .base import YearlyReportMixin


def report_slug(year):
    return f"ndbb-{year}"


def report_title(year):
    return f"政府网站工作年度报表（{year}年度）"


class AnnualReportPage(YearlyReportMixin, Page):
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    figures = models.JSONField("报表数据", default=dict, blank=True)
    computed = models.JSONField("平台统计值", default=dict, blank=True, editable=False)
    generated_at = models.DateTimeField("统计时间", null=True, blank=True, editable=False)
    notes = RichTextField("说明", blank=True, help_text="需要说明的情况，例如统计口径、数据来源")

    base_form_class = AnnualReportForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("year", read_only=True),
        HelpPanel(
            "标有“平台统计”的数字由平台根据本站数据生成；其余数字平台无法统计，请如实填写。"
            "“重新生成”只更新未经修改的统计数字，修改过的数字保留（见 报告 → 年度报表）。"
        ),
        *[
            MultiFieldPanel([FieldPanel(field_name(figure.key)) for figure in figures], heading=section)
            for section, figures in SECTIONS
        ],
        FieldPanel("notes"),
    ]
    parent_page_types = ["columns.HomePage"]
    subpage_types = []
    # Created by "生成年度报表" (or the command) only: the page needs its year and its counts.
    is_creatable = False
    # The site's own report is a child of its home page (reports.signals).
    own_depth = 3
    duplicate_year_message = "本站已有 {year} 年度的年度报表"

    class Meta:
        verbose_name = "年度报表"
        verbose_name_plural = "年度报表"

    def report_name(self):
        return f"{self.year} 年度报表"

    def sections(self):
        """[(section, [{label, unit, value, computed}])] for the page's tables."""
        return [
            (section, [
                {
                    "key": figure.key, "label": figure.label, "unit": figure.unit,
                    "value": display(figure, self.figures.get(figure.key)), "computed": figure.computed,
                }
                for figure in figures
            ])
            for section, figures in SECTIONS
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.sections()
        site = getattr(request, "site_tenant", None)
        context["gathering_url"] = f"/ndbb/{self.year}/" if site is not None and has_sites_below(site) else ""
        return context
