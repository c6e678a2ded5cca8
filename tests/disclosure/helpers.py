"""Making applications in a fixture site, as the form or the office would."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from disclosure import actions
from disclosure.models import ApplicationPage
from tests import files

PAGE = "/xxgk/ysqgk/"
# GB 11643-1999's own example, and GB 32100-2015's.
RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


def form_data(**overrides):
    data = {
        "applicant_kind": "person", "name": "张三", "id_type": "resident_id", "id_number": RESIDENT_ID,
        "phone": "13800000000", "email": "zhangsan@example.com", "address": "成都市锦江区红星路 1 号",
        "postcode": "610000", "info_title": "2025年锦江区老旧小区改造项目清单", "info_number": "",
        "info_description": "包括项目名称、地址和投资额", "delivery_form": "electronic", "delivery_channel": "email",
        "captcha_0": "any-key", "captcha_1": "PASSED",  # CAPTCHA_TEST_MODE in test settings
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def proof(name="身份证.pdf"):
    return SimpleUploadedFile(name, files.pdf(), content_type="application/pdf")


def new_application(site, received_on=None, **overrides):
    """An online application received on `received_on` (a date; default today)."""
    data = form_data(**overrides)
    with schema_context(site.schema):
        application, password = actions.submit_application(ApplicationPage.objects.get(), data)
        if received_on is not None:
            application.received_on = application.clock_start = received_on
            application.refresh_due_date()
            application.save()
        return application, password


def day(text):
    return datetime.date.fromisoformat(text)
