"""Tell operators when the holiday calendar does not cover the dates deadlines fall on."""

import datetime

from django.core import checks

from . import workdays

# Deadlines run up to 15 working days ahead: three weeks plus a week of holidays.
HORIZON = datetime.timedelta(days=30)


@checks.register()
def calendar_covers_deadlines(app_configs, today=None, **kwargs):
    """A warning when this year is not covered (deadlines are wrong now); a note when the next one is near.

    The State Council publishes next year's holidays in November or December, so the
    note is expected at the end of each year until the package carries them.
    """
    today = today or datetime.date.today()
    covered = workdays.covered_years()
    hint = "国务院办公厅公布节假日安排后，请升级 chinesecalendar 包（pip install -U chinesecalendar）"
    if today.year not in covered:
        return [checks.Warning(
            f"节假日日历（chinesecalendar）不含 {today.year} 年，留言办理期限暂按周一至周五计算",
            hint=hint, id="interaction.W001",
        )]
    if (today + HORIZON).year not in covered:
        return [checks.Info(
            f"节假日日历（chinesecalendar）尚不含 {(today + HORIZON).year} 年，跨年的办理期限暂按周一至周五计算",
            hint=hint, id="interaction.I001",
        )]
    return []
