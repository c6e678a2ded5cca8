"""The disclosure office in the site's admin: the inbox, registering letters, each step audited, 告知书."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from disclosure import notices
from disclosure.choices import REASONS, Result, Status
from disclosure.models import Application
from tenants.models import AuditAction, AuditEvent
from tests import files
from tests.disclosure.helpers import RESIDENT_ID, form_data, new_application
from tests.interaction.test_inbox import sidebar_labels

ADMIN = "/admin/disclosure/"


def office_client(site, username="gongkaiban", group="信息公开办"):
    with schema_context(site.schema):
        user = get_user_model().objects.create_user(username, password="pass-1234-abcd")
        user.groups.add(Group.objects.get(name=group))
    return site.admin_client(username, "pass-1234-abcd")


def prefixed(step):
    """A step's POST as the detail page sends it: the fields prefixed by the step's name."""
    return {"action": step["action"], **{f"{step['action']}-{k}": v for k, v in step.items() if k != "action"}}


def trail(site, application):
    return list(AuditEvent.objects.filter(site=site, detail__application=application.tracking_code).order_by("id"))


def test_the_disclosure_office_has_the_inbox_and_editors_do_not(county):
    new_application(county, received_on=timezone.localdate().replace(year=timezone.localdate().year - 1))
    office = office_client(county)
    response = office.get(ADMIN)
    assert response.status_code == 200 and "inbox-urgency--overdue" in response.text
    assert re.search(r"依申请公开（\d+ 件超期）", sidebar_labels(office))
    refused = office_client(county, "bianji", group="编辑").get(ADMIN)
    assert refused.status_code in (302, 403) and "2025年锦江区" not in refused.content.decode()
    # The office's only pages are the annual disclosure reports (to draft and edit, not to publish).
    assert office.get("/admin/pages/").status_code in (200, 302)
    with schema_context(county.schema):
        permissions = Group.objects.get(name="信息公开办").page_permissions.select_related("page", "permission")
        assert {(p.page.url_path, p.permission.codename) for p in permissions} == {
            ("/home/xxgk/gknb/", "add_page"), ("/home/xxgk/gknb/", "change_page")}


def test_the_office_registers_a_letter_whose_clock_starts_on_the_day_it_arrived(county):
    office = county.admin_client()
    data = form_data(channel="letter", received_on="2026-11-02", delivery_channel="post")
    del data["captcha_0"], data["captcha_1"]
    response = office.post(ADMIN + "register/", data)
    assert response.status_code == 200, response.text
    code = re.search(r'id="tracking-code">([0-9A-Z]+)<', response.text).group(1)
    assert re.search(r'id="query-password">[0-9A-Z]{8}<', response.text)
    with schema_context(county.schema):
        application = Application.objects.get(tracking_code=code)
    assert application.channel == "letter" and application.received_on.isoformat() == "2026-11-02"
    assert application.due_date.isoformat() == "2026-11-30"
    [event] = trail(county.site, application)
    assert event.action == AuditAction.REGISTER_APPLICATION and event.actor_label == "admin"

    future = {**data, "received_on": "2999-01-01"}
    response = office.post(ADMIN + "register/", future)
    assert response.status_code == 400 and "收到日期不能晚于今天" in response.text
    response = office.post(ADMIN + "register/", {**data, "channel": "online", "received_on": "not a day"})
    assert response.status_code == 400 and "请填写有效的日期" in response.text


def test_the_identity_number_is_masked_until_revealed_and_the_look_is_audited(county):
    application, _ = new_application(county)
    office = county.admin_client()
    masked = office.get(f"{ADMIN}{application.pk}/").text
    assert RESIDENT_ID not in masked and "110***********002X" in masked and "138****0000" in masked
    revealed = office.post(f"{ADMIN}{application.pk}/", {"action": "reveal"})
    assert RESIDENT_ID in revealed.text and "no-store" in revealed["Cache-Control"]
    assert [e.action for e in trail(county.site, application)] == [AuditAction.VIEW_APPLICANT_DATA]


def test_each_step_in_the_admin_is_an_audited_action_and_the_applicant_reads_it(county):
    application, password = new_application(county)
    office = county.admin_client()
    url = f"{ADMIN}{application.pk}/"
    steps = [
        {"action": "completion", "items": "请写明所需项目清单的年份", "period_days": "10"},
        {"action": "completed", "note": "申请人已电话补充", "late_reason": ""},
        {"action": "consult", "third_party": "某建设公司"},
        {"action": "consultation_end", "outcome": "同意公开"},
        {"action": "extend", "days": "10", "approver": "王主任", "reason": "涉及多个部门"},
    ]
    for step in steps:
        response = office.post(url, prefixed(step))
        assert response.status_code == 302, (step, response.content.decode()[-2000:])
    draft = office.post(url, {"action": "draft", "answer-result": "partly", "answer-reason": ""})
    assert "第三十七条" in draft.text and "行政复议" in draft.text
    notice = re.search(r'<textarea name="answer-notice"[^>]*>(.*?)</textarea>', draft.text, re.S).group(1)
    response = office.post(url, prefixed({"action": "answer", "result": "partly", "reason": "", "notice": notice,
                                          "files": [SimpleUploadedFile("清单（部分）.pdf", files.pdf())]}))
    assert response.status_code == 302
    assert [e.action for e in trail(county.site, application)] == [
        AuditAction.REQUEST_COMPLETION, AuditAction.RECEIVE_COMPLETION, AuditAction.START_CONSULTATION,
        AuditAction.END_CONSULTATION, AuditAction.EXTEND_APPLICATION, AuditAction.ANSWER_APPLICATION,
    ]
    with schema_context(county.schema):
        application.refresh_from_db()
        assert application.status == Status.CLOSED and application.result == Result.PARTLY
        assert [f.name for f in application.files.filter(kind="answer")] == ["清单（部分）.pdf"]
    status = county.client().post("/xxgk/ysqgk/query/", {"tracking_code": application.tracking_code,
                                                         "password": password}).text
    for plain in ("告知您补正申请", "收到您补正后的申请", "征求第三方意见", "意见征询结束", "延长 10 个工作日",
                  "部分公开"):
        assert plain in status
    # The office's internal notes and the third party's name stay inside.
    assert "某建设公司" not in status and "申请人已电话补充" not in status


def test_a_refused_step_says_why_and_leaves_no_row(county):
    application, _ = new_application(county)
    office = county.admin_client()
    response = office.post(f"{ADMIN}{application.pk}/", prefixed({"action": "answer", "result": "withheld",
                                                                  "reason": "", "notice": "不予公开。"}))
    assert response.status_code == 400 and "请选择“不予公开”的具体情形" in response.text
    response = office.post(f"{ADMIN}{application.pk}/", prefixed({"action": "extend", "days": "30",
                                                                  "approver": "王", "reason": "多"}))
    assert response.status_code == 400
    response = office.post(f"{ADMIN}{application.pk}/", {"action": "consultation_end"})  # not consulting
    assert response.status_code == 200
    assert trail(county.site, application) == []


@pytest.mark.parametrize("result, reason", [
    (result, code) for result in Result for code in ([c for c, _ in REASONS[result]] if result in REASONS else [""])
])
def test_every_answer_type_has_its_notice_with_the_legal_basis_and_the_remedies(county, result, reason):
    application, _ = new_application(county)
    text = notices.draft(application, result=result, reason=reason, organiser="锦江区人民政府办公室",
                         today=timezone.localdate())
    assert text.startswith("张三：") and "2025年锦江区老旧小区改造项目清单" in text
    assert "六十日内依法申请行政复议" in text and "六个月内依法向人民法院提起行政诉讼" in text
    assert text.rstrip().splitlines()[-2] == "锦江区人民政府办公室"
    if (result, reason) != (Result.OTHER, "other"):
        assert "条例》第" in text or result == Result.NOT_HANDLED


def test_downloading_a_proof_of_identity_is_audited(county, django_capture_on_commit_callbacks):
    from disclosure import actions
    from disclosure.models import ApplicationPage

    with schema_context(county.schema), django_capture_on_commit_callbacks(execute=True):
        application, _ = actions.submit_application(
            ApplicationPage.objects.get(), {**form_data(), "proof": SimpleUploadedFile("身份证.jpg", files.jpeg())})
        row = application.files.get()
    response = county.admin_client().get(f"{ADMIN}{application.pk}/files/{row.pk}/")
    assert response.status_code == 200
    [event] = trail(county.site, application)
    assert event.action == AuditAction.DOWNLOAD_APPLICATION_FILE and event.detail["file"] == "身份证.jpg"
