"""A township folded into its county brings its applications: history, files and codes intact."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from columns.models import path_on_site
from disclosure import actions, remedies
from disclosure.models import Application, ApplicationPage
from tenants import actions as site_actions
from tests import files
from tests.disclosure.helpers import new_application


def test_folding_a_township_brings_its_applications_to_the_county(township, county,
                                                                   django_capture_on_commit_callbacks):
    application, password = new_application(township)
    with schema_context(township.schema), django_capture_on_commit_callbacks(execute=True):
        actions.answer(application, result="disclosed", reason="provided", notice="现提供。",
                       files=[SimpleUploadedFile("清单.pdf", files.pdf())], acting_user=None)
        remedies.record_case(application, kind="review", filed_on=application.received_on,
                             authority="成都市人民政府", acting_user=None)
    result = site_actions.fold_township(township.site, acting_user=None, source="tests")
    assert result.count("applications") == 1
    with schema_context(county.schema):
        moved = Application.objects.get(tracking_code=application.tracking_code)
        assert moved.result == "disclosed" and moved.events.count() == 2
        assert [case.authority for case in moved.remedies.all()] == ["成都市人民政府"]
        [answer_file] = moved.files.all()
        assert answer_file.file.storage.exists(answer_file.file.name)
        page = ApplicationPage.objects.get(pk=moved.page_id)
        assert page.url_path != "/home/xxgk/ysqgk/"  # the township's own copy, under its 专栏
        url = path_on_site(page.url_path)
    response = county.client().post(url + "query/", {"tracking_code": application.tracking_code,
                                                     "password": password})
    assert response.status_code == 200 and "现提供。" in response.text and "清单.pdf" in response.text
