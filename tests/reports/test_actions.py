"""Generating a report: a draft under the home page; regenerating refreshes counts, keeps editors' changes."""

import pytest
from django_tenants.utils import schema_context

from columns.models import ArticlePage, ColumnPage
from reports.actions import generate_annual_report
from reports.figures import COMPUTED_KEYS, FIGURES, ReportYearError
from reports.models import AnnualReportPage
from tests.factories import ArticleFactory

from .seed import YEAR, at


def test_generating_makes_a_draft_under_the_home_page_with_every_computed_figure(county):
    with schema_context(county.schema):
        result = generate_annual_report(county.site, YEAR)
        page = AnnualReportPage.objects.get(year=YEAR)
        assert result.created and page.pk == result.page.pk
        assert not page.live
        assert page.get_parent().specific_class.__name__ == "HomePage"
        assert page.title == "政府网站工作年度报表（2025年度）"
        assert page.slug == "ndbb-2025"
        assert set(page.figures) == set(COMPUTED_KEYS)
        assert page.computed == page.figures
        assert page.latest_revision is not None


def test_regenerating_refreshes_counts_nobody_changed_and_keeps_the_ones_an_editor_changed(county):
    with schema_context(county.schema):
        news = ColumnPage.objects.get(slug="xwdt")
        ArticleFactory(parent=news, title="新闻一", first_published_at=at(YEAR, 5, 1))
        page = generate_annual_report(county.site, YEAR).page
        assert page.figures["info_news"] == 1
        # An editor corrects one counted figure and fills in one the platform cannot know.
        draft = page.get_latest_revision_as_object()
        draft.figures = {**draft.figures, "info_total": 100, "visitors": 5000}
        draft.save_revision()
        ArticleFactory(parent=news, title="新闻二", first_published_at=at(YEAR, 6, 1))

        result = generate_annual_report(county.site, YEAR)

        assert not result.created
        assert result.kept == ["info_total"]
        assert "info_news" in result.refreshed
        assert "保留了编辑修改过的 信息发布总数" in result.summary()
        refreshed = AnnualReportPage.objects.get(year=YEAR).get_latest_revision_as_object()
        assert refreshed.figures["info_news"] == 2
        assert refreshed.figures["info_total"] == 100  # the editor's value
        assert refreshed.figures["visitors"] == 5000  # never touched
        assert refreshed.computed["info_total"] == 2  # the new count, shown beside the editor's value
        assert refreshed.edited_keys() == ["info_total"]
        assert AnnualReportPage.objects.count() == 1


def test_overwriting_edits_is_an_explicit_choice(county):
    with schema_context(county.schema):
        page = generate_annual_report(county.site, YEAR).page
        draft = page.get_latest_revision_as_object()
        draft.figures = {**draft.figures, "info_total": 100, "visitors": 5000}
        draft.save_revision()
        result = generate_annual_report(county.site, YEAR, overwrite_edits=True)
        assert result.kept == []
        refreshed = AnnualReportPage.objects.get(year=YEAR).get_latest_revision_as_object()
        assert refreshed.figures["info_total"] == 0
        assert refreshed.figures["visitors"] == 5000


def test_regenerating_a_published_report_makes_a_draft_and_leaves_the_live_page_alone(county):
    with schema_context(county.schema):
        page = generate_annual_report(county.site, YEAR).page
        page.get_latest_revision().publish()
        ArticleFactory(title="新闻", first_published_at=at(YEAR, 5, 1))
        generate_annual_report(county.site, YEAR)
        page = AnnualReportPage.objects.get(year=YEAR)
        assert page.live and page.has_unpublished_changes
        assert page.figures["info_news"] == 0
        assert page.get_latest_revision_as_object().figures["info_news"] == 1


def test_a_report_is_not_counted_as_published_information(county):
    with schema_context(county.schema):
        generate_annual_report(county.site, YEAR).page.get_latest_revision().publish()
        assert generate_annual_report(county.site, YEAR).page.figures["info_total"] == 0
        assert not ArticlePage.objects.exists()


def test_a_year_out_of_range_is_refused_before_anything_is_written(county):
    with schema_context(county.schema):
        with pytest.raises(ReportYearError, match="超出范围"):
            generate_annual_report(county.site, 2999)
        assert not AnnualReportPage.objects.exists()


def test_every_figure_has_a_label_and_kind():
    for figure in FIGURES.values():
        assert figure.label and figure.kind in ("count", "decimal", "flag", "text")
