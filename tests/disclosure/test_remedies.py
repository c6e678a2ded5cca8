"""行政复议 and 行政诉讼 recorded against an answer, with their outcome, in the office's admin."""

import datetime

import pytest
from django_tenants.utils import schema_context

from disclosure import actions, remedies
from disclosure.actions import ApplicationActionError
from disclosure.models import Application, Outcome, RemedyCase
from tenants.models import AuditAction, AuditEvent
from tests.disclosure.helpers import day, new_application
from tests.disclosure.test_office import ADMIN, office_client, prefixed


def answered(site, received_on="2025-03-03", answered_on="2025-03-20"):
    application, _ = new_application(site, received_on=day(received_on))
    with schema_context(site.schema):
        actions.answer(application, result="withheld", reason="process", notice="不予公开。", acting_user=None,
                       today=day(answered_on))
    return application


def test_the_office_records_a_review_and_then_its_outcome(county):
    application = answered(county, received_on=str(datetime.date.today()), answered_on=str(datetime.date.today()))
    office = office_client(county)
    url = f"{ADMIN}{application.pk}/"
    page = office.get(url)
    assert "登记行政复议或行政诉讼" in page.text
    today = datetime.date.today().isoformat()
    response = office.post(url, prefixed({"action": "remedy", "kind": "review", "filed_on": today,
                                          "authority": "成都市锦江区人民政府", "case_number": "锦府复〔2026〕3号"}))
    assert response.status_code == 302
    with schema_context(county.schema):
        case = RemedyCase.objects.get(application__pk=application.pk)
    assert case.outcome == Outcome.PENDING
    page = office.get(url)
    assert "锦府复〔2026〕3号" in page.text and "尚未审结" in page.text
    response = office.post(url, prefixed({"action": f"decide-{case.pk}", "outcome": "corrected",
                                          "decided_on": today}))
    assert response.status_code == 302
    with schema_context(county.schema):
        case.refresh_from_db()
    assert case.outcome == Outcome.CORRECTED and case.decided_on == datetime.date.today()
    actions_written = list(AuditEvent.objects.filter(
        site=county.site, detail__application=application.tracking_code,
        action__in=[AuditAction.RECORD_REMEDY, AuditAction.DECIDE_REMEDY],
    ).order_by("id").values_list("action", flat=True))
    assert actions_written == [AuditAction.RECORD_REMEDY, AuditAction.DECIDE_REMEDY]


def test_bad_dates_and_open_applications_are_refused_with_a_reason(county):
    application = answered(county, received_on=str(datetime.date.today()), answered_on=str(datetime.date.today()))
    office = office_client(county)
    url = f"{ADMIN}{application.pk}/"
    response = office.post(url, prefixed({"action": "remedy", "kind": "review", "filed_on": "2001-01-01",
                                          "authority": "成都市锦江区人民政府"}))
    assert response.status_code == 400 and "不能早于收到申请的日期" in response.text
    response = office.post(url, prefixed({"action": "remedy", "kind": "court", "filed_on": "not a day",
                                          "authority": ""}))
    assert response.status_code == 400
    with schema_context(county.schema):
        assert not RemedyCase.objects.exists()
        still_open, _ = new_application(county)
        with pytest.raises(ApplicationActionError, match="尚未答复"):
            remedies.record_case(still_open, kind="review", filed_on=datetime.date.today(), authority="某政府",
                                 acting_user=None)
    # The open application's page offers no such form.
    assert "登记行政复议或行政诉讼" not in office.get(f"{ADMIN}{still_open.pk}/").text


def test_a_case_is_counted_in_each_year_it_was_open_with_its_outcome_at_that_year_end(county):
    application = answered(county)
    with schema_context(county.schema):
        case = remedies.record_case(application, kind="litigation", filed_on=day("2025-05-10"),
                                    authority="锦江区人民法院", acting_user=None, today=day("2025-05-12"))
        remedies.decide_case(case, outcome="upheld", decided_on=day("2026-02-01"), acting_user=None,
                             today=day("2026-02-02"))
        with pytest.raises(ApplicationActionError, match="不能早于"):
            remedies.decide_case(case, outcome="upheld", decided_on=day("2025-01-01"), acting_user=None)
        assert [c.outcome_at_end_of(2025) for c in RemedyCase.objects.in_report_of(2025)] == [Outcome.PENDING]
        assert [c.outcome_at_end_of(2026) for c in RemedyCase.objects.in_report_of(2026)] == [Outcome.UPHELD]
        assert not RemedyCase.objects.in_report_of(2024).exists()
        assert not RemedyCase.objects.in_report_of(2027).exists()
        assert Application.objects.get(pk=application.pk).remedies.count() == 1
