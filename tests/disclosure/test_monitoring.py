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


def test_the_console_lists_every_sites_applications_overdue_first_and_no_personal_data(
        county, township, console_client):
    from disclosure.actions import answer

    today = timezone.localdate()
    new_application(township, info_title="街道的新申请")
    new_application(county, received_on=today - timedelta(days=60), info_title="区里超期的申请")
    answered, _ = new_application(county, info_title="已答复的申请")
    from django_tenants.utils import schema_context
    with schema_context(county.schema):
        answer(answered, result="disclosed", reason="provided", notice="现予公开。", acting_user=None)

    page = console_client.get("/applications/").content.decode()
    assert page.index("区里超期的申请") < page.index("街道的新申请")
    assert "已超期" in page and "已答复的申请" not in page  # the default view is what is still open
    assert "张三" not in page and "11010519491231002X" not in page and "13800000000" not in page
    assert f"/admin/disclosure/{answered.pk}/" not in page
    closed = console_client.get("/applications/", {"state": "closed"}).content.decode()
    assert "已答复的申请" in closed and "已答复：予以公开" in closed
    townships = console_client.get("/applications/", {"level": "township"}).content.decode()
    assert "街道的新申请" in townships and "区里超期的申请" not in townships
    assert console_client.get("/applications/", {"year": "not a year", "state": "nonsense"}).status_code == 200


def test_the_provinces_copy_heals_from_the_sites_schema_every_night(county):
    from django.core.management import call_command

    from monitoring.models import TrackedApplication

    application, _ = new_application(county, info_title="一份申请")
    assert TrackedApplication.objects.get(site=county.site).tracking_code == application.tracking_code
    TrackedApplication.objects.all().delete()
    call_command("compute_indicators", "--site", county.site.region_code, stdout=None)
    assert TrackedApplication.objects.get(site=county.site).info_title == "一份申请"


def test_last_years_disclosure_report_not_published_by_its_day_is_a_warning(township, county, console_client):
    from datetime import datetime

    from tenants.models import GovSite
    from tests.reports.test_disclosure_report import publish_disclosure_report

    last_year = timezone.localdate().year - 1
    # Both sites were on the platform all of last year.
    GovSite.objects.filter(pk__in=[township.site.pk, county.site.pk]).update(
        created_at=timezone.make_aware(datetime(last_year - 1, 6, 1)))
    township.site.refresh_from_db()
    indicator = refresh(township.site).indicator("disclosure_report")
    due = datetime(last_year + 1, 1, 31).date()
    assert indicator["warning"] and indicator["value"] == (timezone.localdate() - due).days
    assert f"发布期限 {due:%Y-%m-%d}" in indicator["note"]
    page = console_client.get("/applications/").content.decode()
    assert "逾期未发布" in page and "春熙路街道人民政府" in page.split("逾期未发布")[1]

    publish_disclosure_report(township, year=last_year)
    indicator = refresh(township.site).indicator("disclosure_report")
    assert not indicator["warning"] and indicator["value"] == 0 and "已于" in indicator["note"]


def test_an_application_is_kept_when_the_provinces_copy_cannot_be_written(county):
    from django.db import connection
    from django_tenants.utils import schema_context

    from disclosure.models import Application

    with connection.cursor() as cursor:  # the public table gone for the length of this test's transaction
        cursor.execute("ALTER TABLE public.monitoring_trackedapplication RENAME TO monitoring_trackedapplication_away")
    application, _ = new_application(county, info_title="复制失败时的申请")
    with schema_context(county.schema):
        assert Application.objects.filter(tracking_code=application.tracking_code).exists()
