"""Each answer's 告知书 as a PDF, the same for the office and the applicant, with the font embedded."""

import html
import io
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from pypdf import PdfReader

from disclosure import actions, notices
from disclosure.choices import REASONS, Result
from tests.disclosure.helpers import PAGE, new_application


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    # Embedded: each font carries its own file (a subset), so the copy reads the same everywhere.
    assert all("/FontFile2" in f["/FontDescriptor"] or "/FontFile3" in f["/FontDescriptor"]
               for f in (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                         for font in fonts))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("result", list(Result))
def test_each_answer_type_renders_its_notice_as_a_pdf(county, result):
    reason = REASONS[result][0][0] if result in REASONS else ""
    application, _ = new_application(county)
    with schema_context(county.schema):
        notice = notices.draft(application, result=result, reason=reason, organiser=notices.site_organiser(),
                               today=timezone.localdate())
        actions.answer(application, result=result, reason=reason, notice=notice, acting_user=None)
    response = county.admin_client().get(f"/admin/disclosure/{application.pk}/notice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "政府信息公开申请答复告知书" in text and application.tracking_code in text
    assert "张三：" in text and "六十日内依法申请行政复议" in text
    assert "锦江区人民政府办公室" in text  # the site's organiser signs it


def test_the_applicant_downloads_the_same_notice_from_the_status_page_and_only_there(county, township):
    application, password = new_application(county)
    with schema_context(county.schema):
        actions.answer(application, result="unavailable", reason="not_held", acting_user=None,
                       notice="经检索，该信息不存在。\n锦江区人民政府办公室\n2026年12月3日")
    status = county.client().post(PAGE + "query/", {"tracking_code": application.tracking_code,
                                                    "password": password}).text
    link = html.unescape(re.search(r'href="(/xxgk/ysqgk/notice/[^"]+)"', status).group(1))
    response = county.client().get(link)
    assert response.status_code == 200 and "经检索，该信息不存在。" in pdf_text(response.content)
    assert township.client().get(link).status_code == 404
    assert county.client().get(PAGE + "notice/?t=forged").status_code == 404
    # Not answered yet: no notice, for the office either.
    open_one, _ = new_application(county)
    assert county.admin_client().get(f"/admin/disclosure/{open_one.pk}/notice.pdf").status_code == 404

