"""The legal clock of an application (政府信息公开条例 Arts. 30-33), in working days.

Days are counted with the mailbox's calendar (interaction.workdays: weekends, public holidays
and make-up working days); the day the clock starts does not count, as for every period of
days in Chinese administrative law.

- the answer is due 20 working days after the clock starts: the day of receipt, or the day a
  completed application (补正) arrives;
- one extension of at most 20 working days;
- working days spent consulting a third party (who has 15) do not count;
- a 补正 notice goes out within 7 working days of receipt.
"""

from interaction import workdays

ANSWER_DAYS = 20
MAX_EXTENSION_DAYS = 20
COMPLETION_NOTICE_DAYS = 7
THIRD_PARTY_DAYS = 15


def due_date(clock_start, *, extension_days=0, paused_days=0):
    return workdays.add_working_days(clock_start, ANSWER_DAYS + extension_days + paused_days)


def completion_notice_deadline(received_on):
    """The last day a 补正 notice may go out."""
    return workdays.add_working_days(received_on, COMPLETION_NOTICE_DAYS)


def third_party_due(started_on):
    return workdays.add_working_days(started_on, THIRD_PARTY_DAYS)


def paused_working_days(since, until):
    """Working days of a pause that began on `since` and ended on `until` (neither counted twice)."""
    return max(workdays.working_days_between(since, until), 0)


def working_days_left(today, due):
    """0: due today; negative: overdue by that many working days."""
    return workdays.working_days_between(today, due)
