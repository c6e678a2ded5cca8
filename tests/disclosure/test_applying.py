"""The applicant's side: apply on the site's 依申请公开 page, get a code once it is stored, follow it."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from disclosure import actions
from disclosure.choices import Status
from disclosure.models import Application
from interaction import workdays
from tests import files
from tests.disclosure.helpers import CREDIT_CODE, PAGE, form_data, new_application, proof


def apply(site, files_=None, **overrides):
    data = form_data(**overrides)
    data.setdefault("proof", files_ if files_ is not None else proof())
    if data["proof"] == "":
        del data["proof"]
    response = site.client().post(PAGE, data)
    codes = re.search(r'id="tracking-code">([0-9A-Z]+)<.*?id="query-password">([0-9A-Z]+)<', response.text, re.S)
    return response, (codes.groups() if codes else (None, None))


def stored(site, code):
    with schema_context(site.schema):
        return Application.objects.filter(tracking_code=code).first()


def test_every_site_has_the_application_page_under_disclosure(county, township):
    for site in (county, township):
        response = site.client().get(PAGE)
        assert response.status_code == 200
        assert "提交申请" in response.text and "20 个工作日" in response.text and "验证码" in response.text
        assert "no-store" in response["Cache-Control"]


def test_an_application_is_stored_before_its_code_is_shown_and_the_applicant_follows_it(
        county, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response, (code, password) = apply(county)
    assert response.status_code == 200 and code.startswith("GK") and password
    assert "no-store" in response["Cache-Control"]
    application = stored(county, code)
    assert application.status == Status.PROCESSING and application.id_number == "11010519491231002X"
    assert application.due_date == workdays.add_working_days(application.received_on, 20)
    assert password not in application.password_hash and application.check_password(password)
    with schema_context(county.schema):
        [proof_file] = application.files.all()
        assert proof_file.name == "身份证.pdf" and proof_file.file.storage.exists(proof_file.file.name)

    response = county.client().post(PAGE + "query/", {"tracking_code": code.lower(), "password": password})
    assert response.status_code == 200
    assert "办理中" in response.text and "2025年锦江区老旧小区改造项目清单" in response.text
    assert "收到您的申请。答复期限为" in response.text
    # The status page never shows the applicant's identity number back.
    assert "11010519491231002X" not in response.text


def test_a_wrong_password_or_another_sites_code_finds_nothing(county, township):
    application, password = new_application(county)
    assert county.client().post(PAGE + "query/", {"tracking_code": application.tracking_code,
                                                  "password": "WRONG234"}).status_code == 404
    response = township.client().post(PAGE + "query/", {"tracking_code": application.tracking_code,
                                                        "password": password})
    assert response.status_code == 404 and "查询码或查询密码不正确" in response.text


def test_an_organisation_applies_with_its_credit_code(county):
    response, (code, _) = apply(county, applicant_kind="legal", name="四川某律师事务所", id_type="credit_code",
                                id_number=CREDIT_CODE.lower(), contact_person="李四")
    assert response.status_code == 200, response.text
    assert stored(county, code).id_number == CREDIT_CODE


@pytest.mark.parametrize("overrides, field_error", [
    ({"id_number": "110105194912310021"}, "校验位不正确"),
    ({"id_number": "11010519491331002X"}, "出生日期不存在"),
    ({"applicant_kind": "business", "name": "某公司", "id_number": "91350100M000100Y44",
      "id_type": "credit_code", "contact_person": "王五"}, "统一社会信用代码的校验位不正确"),
    ({"applicant_kind": "business", "id_type": "resident_id", "contact_person": "王五"},
     "单位申请请选择统一社会信用代码"),
    ({"applicant_kind": "research", "id_type": "credit_code", "id_number": CREDIT_CODE}, "单位申请请填写联系人"),
    ({"delivery_channel": "email", "email": ""}, "请填写电子邮箱"),
    ({"delivery_channel": "post", "address": ""}, "请填写通信地址"),
    ({"info_title": "<b></b>"}, "请填写所需信息的名称"),
    ({"phone": "abc"}, "有效的电话号码"),
    ({"postcode": "61000"}, "6 位数字"),
    ({"applicant_kind": "alien"}, "选择一个有效的选项"),
    ({"proof": ""}, "请上传身份证明"),
])
def test_bad_input_is_refused_with_a_clear_error_and_nothing_stored(county, overrides, field_error):
    with schema_context(county.schema):
        before = Application.objects.count()
    response, (code, _) = apply(county, **overrides)
    assert response.status_code == 400 and code is None
    assert field_error in response.text and "申请未提交" in response.text
    with schema_context(county.schema):
        assert Application.objects.count() == before


def test_a_proof_with_script_or_of_another_kind_is_refused(county):
    response, _ = apply(county, files_=SimpleUploadedFile("id.pdf", files.pdf(javascript="app.alert(1)")))
    assert response.status_code == 400 and "身份证明" in response.text
    response, _ = apply(county, files_=SimpleUploadedFile("id.exe", b"MZ\x90\x00"))
    assert response.status_code == 400


def test_hostile_posts_get_a_form_error_not_a_server_error(county):
    client = county.client()
    for data in ({}, {"applicant_kind": ["person", "legal"]}, {"id_number": "\x00" * 40},
                 {"tracking_code": "x" * 500, "password": "y"}):
        assert client.post(PAGE, data).status_code == 400
        assert client.post(PAGE + "query/", data).status_code == 400
    assert client.get(PAGE + "file/?t=not-a-token").status_code == 404
    assert client.get(PAGE + "file/").status_code == 404


def test_the_applicant_downloads_the_answers_files_by_the_link_of_the_status_page(
        county, township, django_capture_on_commit_callbacks):
    application, password = new_application(county)
    with schema_context(county.schema), django_capture_on_commit_callbacks(execute=True):
        actions.answer(application, result="disclosed", reason="provided", notice="现将信息提供给您。",
                       files=[SimpleUploadedFile("改造项目清单.pdf", files.pdf())], acting_user=None)
    response = county.client().post(PAGE + "query/", {"tracking_code": application.tracking_code,
                                                      "password": password})
    assert "予以公开（提供所申请的政府信息）" in response.text and "现将信息提供给您。" in response.text
    link = html.unescape(re.search(r'href="(/xxgk/ysqgk/file/[^"]+)"', response.text).group(1))
    download = county.client().get(link)
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # The link names this site's page: on another site, and tampered with, it opens nothing.
    assert township.client().get(link).status_code == 404
    assert county.client().get(link[:-3] + "xx").status_code == 404


def test_too_many_applications_from_one_address_are_slowed_down_and_keep_what_was_typed(county, settings):
    settings.INTERACTION_SUBMIT_RATE = "2/h"
    apply(county)
    apply(county)
    response, (code, _) = apply(county)
    assert response.status_code == 429 and code is None
    assert "提交过于频繁" in response.text and "2025年锦江区老旧小区改造项目清单" in response.text
