"""The demo content step of `make run` fills a site once and completes an interrupted run."""

from django_tenants.utils import schema_context

from columns.models import ArticlePage
from demo.content import add_missing_demo_content
from policies.models import PolicyDocumentPage, PolicyInterpretationPage
from services.models import ServiceGuidePage


def counts():
    return (ArticlePage.objects.live().count(), PolicyDocumentPage.objects.live().count(),
            PolicyInterpretationPage.objects.live().count(), ServiceGuidePage.objects.live().count())


def test_demo_content_is_added_once_and_completed_when_missing(county):
    with schema_context(county.schema):
        add_missing_demo_content(county.site)
        first = counts()
        assert all(first) and first[0] >= 20
        add_missing_demo_content(county.site)
        assert counts() == first, "re-running adds nothing"
        ServiceGuidePage.objects.all().delete()
        add_missing_demo_content(county.site)
        assert counts() == first, "a missing kind is completed, the rest left alone"


def test_the_demo_shows_applications_for_disclosure_in_every_state_of_the_clock(county):
    from django.utils import timezone

    from disclosure.models import Application

    with schema_context(county.schema):
        Application.objects.all().delete()
        add_missing_demo_content(county.site)
        applications = list(Application.objects.all())
        today = timezone.localdate()
        assert {a.urgency(today) for a in applications} == {"", "overdue", "due-soon", "on-time", "paused"}
        assert {a.status for a in applications} == {"processing", "completion", "consulting", "closed"}
        assert {a.channel for a in applications} == {"online", "letter"}
        [answered] = [a for a in applications if a.status == "closed" and a.received_on.year == today.year]
        assert answered.answered_on <= answered.due_date and "锦江" in answered.info_title


def test_the_demo_publishes_last_years_disclosure_report_with_a_reviewed_application(county):
    from django.utils import timezone

    from reports.models import DisclosureReportPage

    last_year = timezone.localdate().year - 1
    with schema_context(county.schema):
        add_missing_demo_content(county.site)
        report = DisclosureReportPage.objects.live().get(year=last_year)
        assert report.figures["app_partly_business"] == 1 and report.figures["rem_review_upheld"] == 1
        assert report.figures["licensing"] > 0
        assert ArticlePage.objects.live().filter(slug="xzzf-1").exists()  # the 法定主动公开内容 columns
    from library.models import PublishedReport, ReportKind

    published = PublishedReport.objects.get(site=county.site, kind=ReportKind.DISCLOSURE, year=last_year)
    assert published.figures["app_partly_business"] == 1  # the gatherings above list it
    assert county.client().get(report.url_path.removeprefix("/home")).status_code == 200
