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

from columns.models import HomePage

from .figures import FIGURES, ReportError, check_year, compute
from .models import AnnualReportPage, report_slug, report_title

__all__ = ["Generated", "ReportError", "generate_annual_report"]


@dataclass
class Generated:
    page: AnnualReportPage
    created: bool
    refreshed: list = field(default_factory=list)  # counted figures that took a new value
    kept: list = field(default_factory=list)  # counted figures an editor changed, left as they were

    def summary(self):
        if self.created:
            return f"已生成 {self.page.year} 年度报表草稿"
        parts = [f"已更新 {self.page.year} 年度报表草稿：{len(self.refreshed)} 项统计数字有变化"]
        if self.kept:
            parts.append("保留了编辑修改过的 " + "、".join(FIGURES[key].label for key in self.kept))
        return "；".join(parts)


def home_page():
    home = HomePage.objects.select_for_update().first()
    if home is None:
        raise ReportError("本站没有首页，无法生成年度报表")
    return home


def generate_annual_report(site, year, *, acting_user=None, overwrite_edits=False):
    """Create or refresh `site`'s report for `year` as a draft; returns Generated."""
    year = check_year(year)
    with transaction.atomic():
        home = home_page()  # locked: two editors generating at once make one report, not two
        counts = compute(year, site)
        now = timezone.now()
        existing = AnnualReportPage.objects.child_of(home).filter(year=year).first()
        if existing is None:
            page = AnnualReportPage(
                title=report_title(year), slug=_free_slug(home, report_slug(year)), year=year, live=False,
                figures=dict(counts), computed=dict(counts), generated_at=now,
            )
            home.add_child(instance=page)
            page.save_revision(user=acting_user, log_action=False)
            log(instance=page, action="wagtail.create", user=acting_user, content_changed=True)
            return Generated(page, created=True, refreshed=sorted(counts))
        if existing.locked:
            raise ReportError(f"{year} 年度报表已被锁定，解锁后才能重新生成")
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
        page.figures, page.computed, page.generated_at = figures, dict(counts), now
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
