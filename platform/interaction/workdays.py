"""Working days in mainland China: weekends, public holidays and make-up working days (调休).

The calendar comes from `chinesecalendar`, which carries the State Council's
notices year by year. The notice for next year appears in November or December;
until the package is updated, a date of a year it does not cover counts as a
working day from Monday to Friday, and the system check `interaction.W001`
warns so operators upgrade the package.
"""

import datetime
import logging
from functools import lru_cache

import chinese_calendar

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def is_workday(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def covered_years():
    """The years the installed calendar has holiday data for."""
    years = {day.year for day in chinese_calendar.holidays} | {day.year for day in chinese_calendar.workdays}
    return range(min(years), max(years) + 1)


def add_working_days(start, days):
    """The date `days` working days after `start` (the day of `start` itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    left = days
    while left:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
