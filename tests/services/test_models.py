"""Service guides: only in service columns; every required element before publishing, none needed for a draft."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from columns.models import ColumnPage, HomePage
from services.models import ServiceGuidePage
from tests.factories import ServiceGuideFactory, column


def test_service_guides_only_in_service_columns(county):
    with schema_context(county.schema):
        assert ServiceGuidePage.can_create_at(column("bsfw"))
        for slug in ("xwdt", "zcjd", "zcwj", "hdjl"):
            assert not ServiceGuidePage.can_create_at(ColumnPage.objects.get(slug=slug)), slug
        assert not ServiceGuidePage.can_create_at(HomePage.objects.get())


def test_a_draft_may_miss_elements(county):
    with schema_context(county.schema):
        page = ServiceGuideFactory(draft=True, legal_basis="", process="", phone="")
        assert ServiceGuidePage.objects.get(pk=page.pk).live is False


def test_publishing_is_refused_naming_each_missing_element(county):
    with schema_context(county.schema):
        page = ServiceGuideFactory(draft=True, legal_basis="", process="", phone="")
        with pytest.raises(ValidationError) as error:
            page.save_revision(clean=False).publish()
        assert error.value.message_dict == {
            "legal_basis": ["缺少办事指南要素“设定依据”，不能发布。"],
            "process": ["缺少办事指南要素“办理流程”，不能发布。"],
            "phone": ["缺少办事指南要素“咨询电话”，不能发布。"],
        }
        assert ServiceGuidePage.objects.get(pk=page.pk).live is False


def test_every_required_element_is_enforced(county):
    with schema_context(county.schema):
        page = ServiceGuideFactory()
        for name in ServiceGuidePage.REQUIRED_ELEMENTS:
            value = getattr(page, name)
            setattr(page, name, "")
            with pytest.raises(ValidationError) as error:
                page.full_clean()
            assert list(error.value.message_dict) == [name]
            setattr(page, name, value)


def test_a_complete_guide_publishes_and_optional_fields_may_stay_empty(county):
    with schema_context(county.schema):
        page = ServiceGuideFactory(department="", online_url="", complaint_phone="")
        assert ServiceGuidePage.objects.get(pk=page.pk).live


def test_an_empty_paragraph_is_no_element_but_a_flowchart_image_is(county):
    with schema_context(county.schema):
        page = ServiceGuideFactory(draft=True, process='<p data-block-key="a"> </p>')
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert list(error.value.message_dict) == ["process"]
        page.process = '<embed alt="办理流程图" embedtype="image" format="fullwidth" id="1"/>'
        page.full_clean()
