"""Reminders before a report's day: a mail to a site's people while last year's report is not out.

Run by `remind_annual_reports` (a timer on 20 January and 20 March): each site gets one mail
listing its reports of last year that are not published and due within REMIND_DAYS (or already
late), with where to generate or finish them. After the day, the monitoring warning
(monitoring.indicators, "政府信息公开年报未按期发布") keeps telling them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django_tenants.utils import schema_context

from library.models import PublishedReport, ReportKind, report_due
from monitoring.alerts import site_addresses

from .models import AnnualReportPage, DisclosureReportPage

REMIND_DAYS = 15
PAGES = {ReportKind.WEBSITE: (AnnualReportPage, "/admin/annual-reports/"),
         ReportKind.DISCLOSURE: (DisclosureReportPage, "/admin/disclosure-reports/")}


@dataclass
class Owed:
    kind: str
    due: object  # date
    has_draft: bool


def owed(site, today):
    """The reports of last year `site` has not published and should soon (or should have)."""
    year = today.year - 1
    published = set(PublishedReport.objects.filter(site=site, year=year).values_list("kind", flat=True))
    result = []
    for kind, (page_class, _url) in PAGES.items():
        due = report_due(kind, site.level, year)
        if kind in published or (due - today).days > REMIND_DAYS:
            continue
        with schema_context(site.schema_name):
            has_draft = page_class.objects.filter(year=year).exists()
        result.append(Owed(kind, due, has_draft))
    return result


def remind(site, today):
    """Mail `site`'s accounts about what it owes; returns (what it owes, how many were mailed)."""
    reports = owed(site, today)
    recipients = sorted(site_addresses(site)) if reports else []
    if not recipients:
        return reports, 0
    year = today.year - 1
    base = site.base_url() or ""
    lines = [f"{site.display_name}网站以下 {year} 年度报告尚未发布：", ""]
    for report in reports:
        state = "已逾期" if today > report.due else f"还剩 {(report.due - today).days} 天"
        draft = "草稿已生成，请核对、补充后提交审核发布" if report.has_draft else "尚未生成草稿，请先生成"
        lines.append(f"- {ReportKind(report.kind).label}：发布期限 {report.due:%Y-%m-%d}（{state}），{draft}："
                     f"{base}{PAGES[report.kind][1]}")
    lines += ["", "本提醒由政府网站集约化平台发出。"]
    send_mail(f"【年度报告】{site.name}：{year} 年度报告尚未发布", "\n".join(lines), settings.DEFAULT_FROM_EMAIL,
              recipients)
    return reports, len(recipients)
