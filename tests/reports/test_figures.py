"""The report's computed figures match seeded data exactly, counted by Beijing calendar year."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django_tenants.utils import schema_context

from analytics.models import SiteViewDay
from monitoring.models import ProbeDay
from reports.figures import COMPUTED_KEYS, FIGURES, ReportYearError, check_year, compute, year_bounds
from tenants.models import SiteBackup

from .seed import YEAR, seed_year


def seed_security(site):
    """Probes, backups and page views live in the public schema, per site: days in 2025 and one before."""
    SiteViewDay.objects.create(site=site, day=date(2025, 1, 1), views=120)
    SiteViewDay.objects.create(site=site, day=date(2025, 12, 31), views=30)
    SiteViewDay.objects.create(site=site, day=date(2024, 12, 31), views=999)
    ProbeDay.objects.create(site=site, day=date(2025, 1, 1), probes=48, failures=2)
    ProbeDay.objects.create(site=site, day=date(2025, 12, 31), probes=48, failures=0)
    ProbeDay.objects.create(site=site, day=date(2024, 12, 31), probes=48, failures=5)
    for created, verified in ((datetime(2025, 6, 1, 3, tzinfo=ZoneInfo("UTC")), True),
                              (datetime(2025, 7, 1, 3, tzinfo=ZoneInfo("UTC")), False)):
        backup = SiteBackup.objects.create(
            site=site, site_name=site.name, region_code=site.region_code, schema_name=site.schema_name,
            file_name=f"{site.schema_name}-{created:%Y%m%d}.tar", size=1, sha256="0" * 64, table_count=1,
            row_count=1, media_count=0, created_by="tests",
        )
        SiteBackup.objects.filter(pk=backup.pk).update(created_at=created, verified_at=created if verified else None)
    return {"probes": 96, "probe_failures": 2, "backups_verified": 1, "visits": 150}


def test_figures_match_the_seeded_data_exactly(county):
    expected = seed_security(county.site)
    with schema_context(county.schema):
        expected.update(seed_year())
        figures = compute(YEAR, county.site)
    assert figures == expected
    assert set(figures) == set(COMPUTED_KEYS)


def test_another_site_counts_none_of_it(county, city):
    seed_security(county.site)
    with schema_context(county.schema):
        seed_year()
    with schema_context(city.schema):
        figures = compute(YEAR, city.site)
    assert figures["info_total"] == 0
    assert figures["messages_received"] == 0
    assert figures["probes"] == 0
    assert figures["visits"] == 0
    assert figures["reply_days_average"] is None


def test_the_year_is_the_beijing_calendar_year():
    start, end = year_bounds(2025)
    assert start.isoformat() == "2025-01-01T00:00:00+08:00"
    assert end.isoformat() == "2026-01-01T00:00:00+08:00"


@pytest.mark.parametrize("year", [2016, 2999, "twenty", None])
def test_a_year_out_of_range_is_refused_with_a_clear_message(year):
    with pytest.raises(ReportYearError, match="年"):
        check_year(year, today=date(2026, 11, 27))


def test_the_year_in_progress_is_allowed():
    assert check_year("2026", today=date(2026, 11, 27)) == 2026


def test_every_figure_the_platform_cannot_count_is_left_to_the_editor():
    manual = [figure for figure in FIGURES.values() if not figure.computed]
    assert {"visitors", "cases_total", "interviews", "security_assessments", "weibo_posts"} <= {f.key for f in manual}
    assert all(figure.source for figure in FIGURES.values() if figure.computed)
