"""Demo applications for a site's 依申请公开: answered, running, due soon, overdue, waiting for 补正,
in consultation with a third party, and one registered from a letter, so the inbox, the clock
and the statuses show something real; and one of last year, reviewed, for last year's report.
Called per site by setup_demo, inside its schema."""

import datetime
from datetime import timedelta

from django.utils import timezone

from interaction.workdays import add_working_days

from . import actions, notices, remedies
from .choices import Channel
from .forms import check_number
from .models import Application, ApplicationPage

PERSON = {"applicant_kind": "person", "id_type": "resident_id", "id_number": "11010519491231002X",
          "phone": "13800000000", "delivery_form": "electronic", "delivery_channel": "online"}
FIRM = {"applicant_kind": "business", "id_type": "credit_code", "id_number": "91350100M000100Y43",
        "contact_person": "李经理", "phone": "028-87654321", "delivery_form": "paper", "delivery_channel": "post",
        "address": "成都市高新区天府大道 100 号"}
APPLICATIONS = [
    # (working days ago received, applicant, name, information asked for, what happened since)
    (25, PERSON, "张三", "{site}2025年老旧小区改造项目清单", "answered"),
    (22, PERSON, "王五", "{site}2025年城乡低保资金发放情况", "overdue"),
    (17, FIRM, "四川某建设有限公司", "某道路改造工程招标文件及中标结果", "consulting"),
    (16, PERSON, "赵六", "关于征地补偿标准的文件", "due-soon"),
    (4, PERSON, "钱七", "我家附近在建项目的相关文件", "completion"),
    (2, FIRM, "成都某律师事务所", "{site}2024年行政复议决定书", "letter"),
]


def add_demo_applications(site):
    page = ApplicationPage.objects.first()
    if page is None or Application.objects.exists():
        return
    today = timezone.localdate()
    start = today - timedelta(days=60)
    for days_ago, applicant, name, title, story in APPLICATIONS:
        received = start
        while add_working_days(received, days_ago) < today:
            received += timedelta(days=1)
        data = {**applicant, "name": name, "info_title": title.replace("{site}", site.short_name),
                "id_number": check_number(applicant["id_type"], applicant["id_number"])}
        if story == "letter":
            actions.register_application(data, channel=Channel.LETTER, received_on=received, acting_user=None)
            continue
        application, _ = actions.submit_application(page, data)
        application.received_on = application.clock_start = received
        application.refresh_due_date()
        application.save()
        if story == "answered":  # in time, on the 12th working day
            answered = add_working_days(received, 12)
            notice = notices.draft(application, result="disclosed", reason="provided",
                                   organiser=f"{site.display_name}办公室", today=answered)
            actions.answer(application, result="disclosed", reason="provided", notice=notice, acting_user=None,
                           today=answered)
        elif story == "consulting":
            actions.start_consultation(application, third_party="某科技有限公司", acting_user=None,
                                       today=add_working_days(received, 10))
        elif story == "completion":
            actions.request_completion(application, items="请写明所需文件的名称或文号，以及项目的具体位置。",
                                       period_days=15, acting_user=None, today=add_working_days(received, 2))
    _add_last_years_case(site, page)


def _add_last_years_case(site, page):
    """One application of last year, partly disclosed and reviewed (upheld), so last year's annual
    disclosure report has figures in its applications and review tables."""
    year = timezone.localdate().year - 1
    received = datetime.date(year, 9, 15)
    data = {**FIRM, "name": "成都某咨询有限公司", "info_title": f"{site.short_name}{year}年政府投资项目批复文件",
            "id_number": check_number(FIRM["id_type"], FIRM["id_number"])}
    application, _ = actions.submit_application(page, data)
    application.received_on = application.clock_start = received
    application.refresh_due_date()
    application.save()
    answered = add_working_days(received, 15)
    notice = notices.draft(application, result="partly", reason="", organiser=f"{site.display_name}办公室",
                           today=answered)
    actions.answer(application, result="partly", reason="", notice=notice, acting_user=None, today=answered)
    case = remedies.record_case(application, kind="review", filed_on=answered + timedelta(days=10),
                                authority=(site.parent or site).display_name,
                                acting_user=None, today=answered + timedelta(days=10))
    remedies.decide_case(case, outcome="upheld", decided_on=datetime.date(year, 12, 20), acting_user=None,
                         today=datetime.date(year, 12, 20))
