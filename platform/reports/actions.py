"""Generating a site's annual report: the one way a report page is made or refreshed.

`generate_annual_report(site, year, acting_user=...)` runs in the site's schema (the caller
switched: the admin's request, the command's tenant_context) and writes a new draft revision,
never publishing: the report goes live through the site's normal review workflow.

Regenerating decides figure by figure, and says what it did (`Generated`):
- a figure the platform counts and nobody changed (its value is still the one last counted)
  takes the new count;
- a counted figure an editor changed is kept as the editor left it and listed in `kept`,
  unless `overwrite_edits=True` (the admin's checkbox, the command's --overwrite-edits);
- figures only editors can fill in are never touched.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from columns.models import ColumnPage, ColumnType, HomePage, SiteSettings

from . import disclosure_figures
from .figures import FIGURES, ReportError, check_year, compute
from .models import (
    AnnualReportPage,
    DisclosureReportPage,
    disclosure_report_slug,
    disclosure_report_title,
    report_slug,
    report_title,
)
from .models.disclosure import OVERVIEW_KEY

__all__ = ["Generated", "ReportError", "generate_annual_report", "generate_disclosure_report"]


@dataclass
class Generated:
    page: AnnualReportPage | DisclosureReportPage
    created: bool
    refreshed: list = field(default_factory=list)  # counted figures that took a new value
    kept: list = field(default_factory=list)  # counted figures an editor changed, left as they were

    def summary(self):
        what = self.page.report_name()
        if self.created:
            return f"已生成 {what}草稿"
        parts = [f"已更新 {what}草稿：{len(self.refreshed)} 项统计数字有变化"]
        if self.kept:
            parts.append("保留了编辑修改过的 " + "、".join(self._label(key) for key in self.kept))
        return "；".join(parts)

    def _label(self, key):
        if key == OVERVIEW_KEY:
            return "总体情况"
        figures = disclosure_figures.FIGURES if isinstance(self.page, DisclosureReportPage) else FIGURES
        return figures[key].label


def home_page():
    home = HomePage.objects.select_for_update().first()
    if home is None:
        raise ReportError("本站没有首页，无法生成年度报表")
    return home


def disclosure_column():
    column = ColumnPage.objects.select_for_update().filter(column_type=ColumnType.DISCLOSURE_REPORT).first()
    if column is None:
        raise ReportError(
            "本站没有“政府信息公开年报”栏目（信息公开之下），无法生成年度报告：请平台运维为本站更新标准栏目"
            "（for_each_site update_site_standard）"
        )
    return column


def generate_annual_report(site, year, *, acting_user=None, overwrite_edits=False):
    """Create or refresh `site`'s 政府网站工作年度报表 for `year` as a draft; returns Generated."""
    year = check_year(year)
    with transaction.atomic():
        home = home_page()  # locked: two editors generating at once make one report, not two
        counts = compute(year, site)
        return _generate(
            AnnualReportPage, home, year, counts, acting_user=acting_user, overwrite_edits=overwrite_edits,
            new=lambda: AnnualReportPage(title=report_title(year), slug=_free_slug(home, report_slug(year))),
        )


def generate_disclosure_report(site, year, *, acting_user=None, overwrite_edits=False):
    """Create or refresh `site`'s 政府信息公开工作年度报告 for `year` as a draft; returns Generated.

    Its 总体情况 starts as a paragraph with the year's main figures, refreshed like a counted figure."""
    year = check_year(year, first=disclosure_figures.FIRST_YEAR)
    with transaction.atomic():
        column = disclosure_column()  # locked, as the home page above
        counts = disclosure_figures.compute(year, site)
        text = disclosure_figures.overview(year, counts)
        organiser = getattr(SiteSettings.here(), "organiser", "")

        def new():
            return DisclosureReportPage(title=disclosure_report_title(year, organiser), overview=text,
                                        slug=_free_slug(column, disclosure_report_slug(year)))

        def refresh_text(page, result):
            last = (page.computed or {}).get(OVERVIEW_KEY)
            if page.overview == last or not page.overview or overwrite_edits:
                page.overview = text
            else:
                result.kept.append(OVERVIEW_KEY)

        return _generate(
            DisclosureReportPage, column, year, counts, acting_user=acting_user, overwrite_edits=overwrite_edits,
            new=new, refresh=refresh_text, extra_computed={OVERVIEW_KEY: text},
        )


def _generate(page_class, parent, year, counts, *, acting_user, overwrite_edits, new, refresh=None,
              extra_computed=None):
    """The report of `year` under `parent`: a new draft (`new()` makes the page), or the latest revision
    with each counted figure refreshed unless an editor changed it (module docstring)."""
    now = timezone.now()
    computed = {**counts, **(extra_computed or {})}
    existing = page_class.objects.child_of(parent).filter(year=year).first()
    if existing is None:
        page = new()
        page.year, page.live, page.figures, page.computed, page.generated_at = year, False, dict(counts), computed, now
        parent.add_child(instance=page)
        page.save_revision(user=acting_user, log_action=False)
        log(instance=page, action="wagtail.create", user=acting_user, content_changed=True)
        return Generated(page, created=True, refreshed=sorted(counts))
    if existing.locked:
        raise ReportError(f"{year} 年度报告已被锁定，解锁后才能重新生成")
    page = existing.get_latest_revision_as_object()
    figures = dict(page.figures or {})
    last_counted = page.computed or {}
    result = Generated(page, created=False)
    for key, value in counts.items():
        edited = key in figures and key in last_counted and figures[key] != last_counted[key]
        if edited and not overwrite_edits:
            result.kept.append(key)
            continue
        if figures.get(key) != value:
            result.refreshed.append(key)
        figures[key] = value
    if refresh is not None:
        refresh(page, result)
    page.figures, page.computed, page.generated_at = figures, computed, now
    page.save_revision(user=acting_user, log_action=True)
    return result
def _free_slug(parent, slug):
    """`slug`, or `slug-2`... when a column of the home page already uses it."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate
