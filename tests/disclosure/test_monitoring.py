"""网站监测 sees applications for disclosure past their deadline: a warning per site, with the applications."""

from datetime import timedelta

from django.utils import timezone

from monitoring.health import refresh
from tests.disclosure.helpers import new_application


def test_an_overdue_application_is_a_warning_of_its_site_with_the_application_in_the_drill_down(
        county, township, console_client):
    today = timezone.localdate()
    late, _ = new_application(county, received_on=today - timedelta(days=60), info_title="超期未答复的申请")
    new_application(county, info_title="刚收到的申请")
    health = refresh(county.site)
    indicator = health.indicator("overdue_applications")
    assert indicator["value"] == 1 and indicator["warning"] and not indicator["vetoed"]
    assert [item["title"] for item in indicator["detail"]] == ["超期未答复的申请"]
    assert indicator["detail"][0]["admin_url"].endswith(f"/admin/disclosure/{late.pk}/")
    assert "办理中的申请 2 件" in indicator["note"]
    assert health.warnings >= 1
    # Another site's applications are its own.
    assert refresh(township.site).indicator("overdue_applications")["value"] == 0

    page = console_client.get(f"/health/{county.site.pk}/").content.decode()
    assert "依申请公开超期未答复" in page and "超期未答复的申请" in page
    assert "依申请公开超期" in console_client.get("/health/").content.decode()
    # A warning with no countdown says so, not "还剩 None 天".
    assert "None 天" not in console_client.get("/health/").content.decode()


def test_the_application_page_is_not_an_empty_column(county):
    """Its content is its applications, like the mailbox's messages: it must not count towards 空白栏目."""
    empty = refresh(county.site).indicator("empty_columns")
    assert "依申请公开" not in [item["title"] for item in empty["detail"]]
