"""Reply deadlines in working days: weekends, public holidays and make-up working days (调休)."""

import datetime

from interaction import workdays
from interaction.models import Message

D = datetime.date


def test_national_day_2026_is_skipped_and_its_make_up_saturday_counts():
    # 国务院办公厅 2026 安排：10月1日至7日放假；9月20日（周日）、10月10日（周六）上班。
    assert not workdays.is_workday(D(2026, 10, 1))
    assert not workdays.is_workday(D(2026, 10, 7))
    assert workdays.is_workday(D(2026, 9, 20))  # a Sunday, worked
    assert workdays.is_workday(D(2026, 10, 10))  # a Saturday, worked
    # Received on 30 September: the 8th, 9th and the make-up Saturday the 10th are the three working days.
    assert workdays.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    # Seven working days: 8, 9, 10, 12, 13, 14, 15 October.
    assert workdays.add_working_days(D(2026, 9, 30), 7) == D(2026, 10, 15)


def test_spring_festival_2026_pushes_a_15_day_deadline_past_the_holiday():
    # 2026 春节：2月15日至23日放假；2月14日（周六）、2月28日（周六）上班。
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert workdays.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_working_days_between_counts_days_after_the_start():
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert workdays.working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert workdays.working_days_between(D(2026, 10, 12), D(2026, 10, 12)) == 0


def test_a_year_without_published_holidays_counts_monday_to_friday():
    # 2027's holidays are not in the installed calendar yet: weekends only, never an error
    # (so 1 January 2027, a Friday, counts until the package is upgraded; check interaction.W001 says so).
    assert workdays.add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 4)
    assert workdays.is_workday(D(2027, 1, 4))
    assert not workdays.is_workday(D(2027, 1, 9))


def test_a_message_deadline_is_fixed_when_it_arrives_and_urgency_follows_it(settings):
    settings.INTERACTION_DUE_SOON_WORKING_DAYS = 2
    received = datetime.datetime(2026, 9, 30, 10, 0, tzinfo=datetime.UTC)
    message = Message.new(reply_days=3, password="ABCDEFGH", received_at=received, subject="x", body="y")
    assert message.due_date == D(2026, 10, 10)
    # During the holiday all three working days are still ahead.
    assert message.working_days_left(D(2026, 10, 1)) == 3
    assert message.urgency(D(2026, 10, 1)) == "on-time"
    assert message.urgency(D(2026, 10, 9)) == "due-soon"
    assert message.urgency(D(2026, 10, 12)) == "overdue"
    message.status = "replied"
    assert message.urgency(D(2026, 10, 12)) == ""


def test_operators_are_told_when_the_calendar_runs_out():
    from interaction.checks import calendar_covers_deadlines

    last = workdays.covered_years()[-1]
    assert calendar_covers_deadlines(None, today=D(last, 6, 1)) == []
    [note] = calendar_covers_deadlines(None, today=D(last, 12, 15))
    assert note.id == "interaction.I001" and str(last + 1) in note.msg
    [warning] = calendar_covers_deadlines(None, today=D(last + 1, 1, 2))
    assert warning.id == "interaction.W001" and "升级 chinesecalendar" in warning.hint
