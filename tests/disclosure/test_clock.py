"""The legal clock: 20 working days, one extension of at most 20, 补正 restarts it, consultation pauses it."""

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from disclosure import actions
from disclosure.choices import Result, Status
from disclosure.models import Application
from interaction import workdays
from tests.disclosure.helpers import day, new_application

# A Monday before the National Day holiday of 2026 (1-7 October off, Saturday 10 October worked).
MONDAY = day("2026-09-28")


def fresh(site, application):
    with schema_context(site.schema):
        return Application.objects.get(pk=application.pk)


def test_the_answer_is_due_20_working_days_after_receipt_with_holidays_skipped(county):
    application, _ = new_application(county, received_on=MONDAY)
    # 20 working days from 28 September: the seven days of the holiday do not count, the make-up Saturday does.
    assert application.due_date == day("2026-10-30")
    assert application.urgency(today=day("2026-10-29")) == "due-soon"
    assert application.urgency(today=day("2026-10-31")) == "overdue"
    assert application.urgency(today=day("2026-10-09")) == "on-time"


def test_completion_restarts_the_clock_on_the_completed_application(county, django_capture_on_commit_callbacks):
    application, _ = new_application(county, received_on=MONDAY)
    with schema_context(county.schema), django_capture_on_commit_callbacks(execute=True):
        actions.request_completion(application, items="请写明所需文件的年份", period_days=10, acting_user=None,
                                   today=day("2026-09-30"))
    assert application.status == Status.AWAITING_COMPLETION
    assert application.completion_due == workdays.add_working_days(day("2026-09-30"), 10)
    assert application.urgency(today=day("2026-10-20")) == "paused"  # no deadline runs while waiting
    assert "请写明所需文件的年份" in mail.outbox[-1].body and mail.outbox[-1].to == ["zhangsan@example.com"]
    with schema_context(county.schema):
        actions.receive_completion(application, acting_user=None, today=day("2026-10-12"))
    application = fresh(county, application)
    assert application.status == Status.PROCESSING and application.clock_start == day("2026-10-12")
    assert application.due_date == workdays.add_working_days(day("2026-10-12"), 20) == day("2026-11-09")


def test_completion_goes_out_once_and_within_7_working_days(county):
    application, _ = new_application(county, received_on=MONDAY)
    with schema_context(county.schema):
        # The 7th working day after 28 September is 13 October (the holiday does not count).
        with pytest.raises(actions.ApplicationActionError, match="7 个工作日内"):
            actions.request_completion(application, items="补充年份", period_days=10, acting_user=None,
                                       today=day("2026-10-14"))
        actions.request_completion(application, items="补充年份", period_days=10, acting_user=None,
                                   today=day("2026-10-13"))
        actions.receive_completion(application, acting_user=None, today=day("2026-10-15"))
        with pytest.raises(actions.ApplicationActionError, match="一次性"):
            actions.request_completion(application, items="再补充", period_days=10, acting_user=None,
                                       today=day("2026-10-16"))


def test_no_completion_in_time_closes_the_application_as_the_report_counts_it(county):
    application, _ = new_application(county, received_on=MONDAY)
    with schema_context(county.schema):
        actions.request_completion(application, items="补充年份", period_days=5, acting_user=None,
                                   today=day("2026-09-29"))
        due = application.completion_due
        assert actions.lapse_overdue_completions(today=due) == []  # the last day is still in time
        assert actions.lapse_overdue_completions(today=workdays.add_working_days(due, 1)) == [
            application.tracking_code]
        application.refresh_from_db()
        assert application.status == Status.CLOSED
        assert (application.result, application.reason) == (Result.OTHER, "no_completion")
        assert "视为放弃申请" in application.notice
        # A late completion with a good reason is still accepted, but never without one.
        late = new_application(county, received_on=MONDAY)[0]
        actions.request_completion(late, items="补充", period_days=5, acting_user=None, today=day("2026-09-29"))
        with pytest.raises(actions.ApplicationActionError, match="正当理由"):
            actions.receive_completion(late, acting_user=None, today=day("2026-10-30"))
        actions.receive_completion(late, late_reason="申请人住院，提供了证明", acting_user=None,
                                   today=day("2026-10-30"))


def test_one_extension_of_at_most_20_working_days_with_its_approver(county, django_capture_on_commit_callbacks):
    application, _ = new_application(county, received_on=MONDAY)
    with schema_context(county.schema):
        with pytest.raises(actions.ApplicationActionError, match="最长不超过 20 个工作日"):
            actions.extend(application, days=21, approver="李主任", reason="需要调档", acting_user=None,
                           today=day("2026-10-20"))
        with pytest.raises(actions.ApplicationActionError, match="负责人"):
            actions.extend(application, days=10, approver=" ", reason="需要调档", acting_user=None,
                           today=day("2026-10-20"))
        with django_capture_on_commit_callbacks(execute=True):
            actions.extend(application, days=20, approver="李主任", reason="需要调取档案", acting_user=None,
                           today=day("2026-10-20"))
        assert application.due_date == workdays.add_working_days(day("2026-10-30"), 20)
        assert application.extension_approver == "李主任"
        assert "答复期限延长 20 个工作日" in mail.outbox[-1].body
        with pytest.raises(actions.ApplicationActionError, match="只能延长一次"):
            actions.extend(application, days=1, approver="李主任", reason="再延", acting_user=None,
                           today=day("2026-10-21"))
        overdue = new_application(county, received_on=MONDAY)[0]
        with pytest.raises(actions.ApplicationActionError, match="已超过答复期限"):
            actions.extend(overdue, days=5, approver="李主任", reason="晚了", acting_user=None, today=day("2026-11-02"))


def test_a_third_party_consultation_pauses_the_clock(county):
    application, _ = new_application(county, received_on=day("2026-11-02"))
    assert application.due_date == day("2026-11-30")
    with schema_context(county.schema):
        actions.start_consultation(application, third_party="某科技有限公司", acting_user=None, today=day("2026-11-09"))
        assert application.consultation_due == workdays.add_working_days(day("2026-11-09"), 15)
        assert application.urgency(today=day("2026-12-15")) == "paused"
        assert not Application.objects.overdue(today=day("2026-12-15")).filter(pk=application.pk).exists()
        # Consulted from Monday 9 to Friday 20 November: 9 working days that do not count.
        actions.end_consultation(application, outcome="第三方不同意公开", acting_user=None, today=day("2026-11-20"))
    assert application.paused_days == 9
    assert application.due_date == workdays.add_working_days(day("2026-11-30"), 9)
    assert application.status == Status.PROCESSING


def test_the_inbox_order_puts_overdue_first_then_by_deadline_then_paused_then_answered(county):
    with schema_context(county.schema):
        Application.objects.all().delete()
    new_application(county, received_on=day("2026-11-20"), info_title="快到期")
    new_application(county, received_on=day("2026-10-08"), info_title="已超期")
    new_application(county, received_on=day("2026-11-30"), info_title="刚收到")
    paused, _ = new_application(county, received_on=day("2026-11-25"), info_title="征求意见")
    done, _ = new_application(county, received_on=day("2026-11-26"), info_title="已答复")
    with schema_context(county.schema):
        actions.start_consultation(paused, third_party="甲公司", acting_user=None, today=day("2026-11-26"))
        actions.answer(done, result="unavailable", reason="not_held", notice="经检索不存在。", acting_user=None,
                       today=day("2026-11-27"))
        titles = list(Application.objects.inbox_order(today=day("2026-12-03")).values_list("info_title", flat=True))
    assert titles == ["已超期", "快到期", "刚收到", "征求意见", "已答复"]


def test_the_daily_job_closes_lapsed_applications_in_every_site(county, township):
    from django.core.management import CommandError, call_command

    from tenants.models import AuditAction, AuditEvent

    application, _ = new_application(county, received_on=day("2026-09-28"))
    with schema_context(county.schema):
        actions.request_completion(application, items="补充年份", period_days=5, acting_user=None,
                                   today=day("2026-09-29"))
    call_command("for_each_site", "--include-suspended", "lapse_applications", "--site", county.site.region_code,
                 "--site", township.site.region_code)
    assert fresh(county, application).status == Status.CLOSED
    assert AuditEvent.objects.filter(site=county.site, action=AuditAction.LAPSE_APPLICATION,
                                     detail__application=application.tracking_code).count() == 1
    with pytest.raises(CommandError, match="请在站点中运行"):
        call_command("lapse_applications")
