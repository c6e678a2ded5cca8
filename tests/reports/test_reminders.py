"""On 20 January (and 20 March) each site that has not published last year's reports gets one mail."""

import datetime
from io import StringIO

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django_tenants.utils import schema_context

from reports import reminders
from reports.actions import generate_disclosure_report
from tests.reports.test_disclosure_report import publish_disclosure_report


def with_editor(site, email):
    with schema_context(site.schema):
        get_user_model().objects.create_user(f"u-{site.site.region_code}", email=email, password="pass-1234-abcd")


def test_each_site_hears_of_the_reports_it_owes_soon_and_not_of_those_far_off(county, township):
    with_editor(county, "county@example.com")
    with_editor(township, "township@example.com")
    with schema_context(township.schema):
        generate_disclosure_report(township.site, 2025)  # a draft only: still owed
    january_20 = datetime.date(2026, 1, 20)

    county_owes = reminders.owed(county.site, january_20)
    assert [r.kind for r in county_owes] == ["website"]  # its disclosure report is due 31 March
    township_owes = {r.kind: r for r in reminders.owed(township.site, january_20)}
    assert set(township_owes) == {"website", "disclosure"} and township_owes["disclosure"].has_draft

    reminders.remind(township.site, january_20)
    [message] = mail.outbox
    assert message.to == ["township@example.com"] and "2025 年度报告尚未发布" in message.subject
    assert "政府信息公开工作年度报告：发布期限 2026-01-31（还剩 11 天），草稿已生成" in message.body
    assert "/admin/disclosure-reports/" in message.body

    publish_disclosure_report(county)
    march_20 = datetime.date(2026, 3, 20)
    assert [r.kind for r in reminders.owed(county.site, march_20)] == ["website"]  # late, still owed


def test_the_command_reminds_the_chosen_sites_and_says_what_it_did(county, township):
    from django.utils import timezone

    with_editor(county, "county@example.com")
    out = StringIO()
    call_command("remind_annual_reports", "--site", county.site.region_code, stdout=out)
    owed = reminders.owed(county.site, timezone.localdate())  # what today's date makes it owe
    assert f"{1 if owed else 0} 个站点有尚未发布的年度报告" in out.getvalue()
    assert [m.to for m in mail.outbox] == ([["county@example.com"]] if owed else [])
    assert "春熙路" not in out.getvalue()  # only the chosen site
