"""Policy page types: where they may live, and the rules their data must follow."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from columns.models import ColumnPage, ColumnType, HomePage
from policies.models import (
    ATTACHMENT_MAX_BYTES,
    PolicyAttachment,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    PolicyLibraryPage,
)
from tests.factories import ColumnFactory, DocumentFactory, PolicyDocumentFactory, PolicyInterpretationFactory


def column(slug):
    return ColumnPage.objects.get(slug=slug)


def library():
    return PolicyLibraryPage.objects.get(slug="zcwj")


def messages(error, field):
    return " ".join(error.value.message_dict[field])


# Where each type may be created -------------------------------------------------


def test_policy_documents_only_in_policy_columns(county):
    with schema_context(county.schema):
        sub_column = ColumnFactory(
            parent=column("xxgk"), title="规范性文件", slug="gfxwj", column_type=ColumnType.POLICY, revision=False
        )
        assert PolicyDocumentPage.can_create_at(library())
        assert PolicyDocumentPage.can_create_at(sub_column)
        for elsewhere in (column("xwdt"), column("zcjd"), column("bsfw"), HomePage.objects.get()):
            assert not PolicyDocumentPage.can_create_at(elsewhere), elsewhere


def test_interpretations_only_in_interpretation_columns(county):
    with schema_context(county.schema):
        assert PolicyInterpretationPage.can_create_at(column("zcjd"))
        for elsewhere in (library(), column("xwdt"), column("bsfw")):
            assert not PolicyInterpretationPage.can_create_at(elsewhere), elsewhere


def test_a_policy_cannot_be_moved_out_of_its_column(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory()
        assert page.can_move_to(ColumnFactory(
            parent=column("xxgk"), title="规范性文件", slug="gfxwj", column_type=ColumnType.POLICY, revision=False
        ))
        assert not page.can_move_to(column("xwdt"))


def test_a_library_can_be_added_as_a_column_and_is_always_a_policy_column(county):
    with schema_context(county.schema):
        assert PolicyLibraryPage.can_create_at(column("xxgk"))
        added = column("xxgk").add_child(instance=PolicyLibraryPage(title="部门文件", slug="bmwj"))
        assert ColumnPage.objects.get(pk=added.pk).column_type == ColumnType.POLICY


def test_the_admin_offers_each_type_only_in_its_column(county):
    client = county.admin_client()
    with schema_context(county.schema):
        news, interpretations = column("xwdt").pk, column("zcjd").pk
    for model in ("policydocumentpage", "policyinterpretationpage"):
        refused = client.get(f"/admin/pages/add/policies/{model}/{news}/")
        assert (refused.status_code, refused.url) == (302, "/admin/")  # Wagtail's "permission denied"
    assert client.get(f"/admin/pages/add/policies/policyinterpretationpage/{interpretations}/").status_code == 200
    offered = client.get(f"/admin/pages/{news}/add_subpage/").content.decode()
    assert "policydocumentpage" not in offered and "policyinterpretationpage" not in offered


# Policy documents ----------------------------------------------------------------


@pytest.mark.parametrize(("validity", "verb"), [("repealed", "废止"), ("amended", "修订")])
def test_a_document_no_longer_in_force_needs_the_date(county, validity, verb):
    with schema_context(county.schema):
        page = PolicyDocumentFactory(draft=True, validity=validity)
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert f"必须填写{verb}日期" in messages(error, "validity_changed_date")
        page.validity_changed_date = date(2025, 1, 1)
        page.full_clean()


def test_a_document_cannot_replace_itself(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory()
        page.replaced_by = page
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert "不能是本文件自身" in messages(error, "replaced_by")


@pytest.mark.parametrize("index_number", ["11510104MB0000000X 2024", "索引号/2024-1", "x" * 51, ""])
def test_index_number_is_checked(county, index_number):
    with schema_context(county.schema):
        page = PolicyDocumentFactory(draft=True)
        page.index_number = index_number
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert "index_number" in error.value.message_dict


def test_publishing_validates_the_whole_document(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory(draft=True, issuing_organ="", written_date=None)
        with pytest.raises(ValidationError) as error:
            page.save_revision(clean=False).publish()
        assert {"issuing_organ", "written_date"} <= set(error.value.message_dict)


def test_the_document_number_is_kept_as_typed_and_normalised_for_search(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory(document_number="锦府发[2024] 3号")
        page.refresh_from_db()
        assert page.document_number == "锦府发[2024] 3号"
        assert page.document_number_normalised == "锦府发〔2024〕3号"


# Attachments -----------------------------------------------------------------------


def test_attachments_accept_the_disclosure_formats(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory()
        for name in ("a.pdf", "b.OFD", "c.doc", "d.docx", "e.wps"):
            PolicyAttachment(page=page, document=DocumentFactory(filename=name)).full_clean()


def test_attachments_refuse_other_formats(county):
    with schema_context(county.schema):
        spreadsheet = DocumentFactory(filename="预算表.xls", title="预算表")
        attachment = PolicyAttachment(page=PolicyDocumentFactory(), document=spreadsheet)
        with pytest.raises(ValidationError) as error:
            attachment.full_clean()
        assert messages(error, "document") == "附件“预算表”的格式为 xls，只允许 PDF、OFD、DOC、DOCX、WPS 文件。"


def test_attachments_refuse_files_over_20_mb(county):
    with schema_context(county.schema):
        big = DocumentFactory(filename="全文.pdf", content=b"\0" * (ATTACHMENT_MAX_BYTES + 1024 * 1024), title="全文")
        with pytest.raises(ValidationError) as error:
            PolicyAttachment(page=PolicyDocumentFactory(), document=big).full_clean()
        assert messages(error, "document").replace("\xa0", " ") == "附件“全文”大小为 21.0 MB，超过 20 MB 的上限。"
        at_the_limit = DocumentFactory(filename="全文.pdf", content=b"\0" * ATTACHMENT_MAX_BYTES)
        PolicyAttachment(page=PolicyDocumentFactory(), document=at_the_limit).full_clean()


# Interpretations -------------------------------------------------------------------


def test_an_interpretation_needs_its_policy_to_publish_not_to_save_a_draft(county):
    with schema_context(county.schema):
        page = PolicyInterpretationFactory(policy=None, draft=True)
        with pytest.raises(ValidationError) as error:
            page.save_revision(clean=False).publish()
        assert "请选择所解读的政策文件" in messages(error, "policy")


def test_a_video_interpretation_needs_a_video(county):
    with schema_context(county.schema):
        page = PolicyInterpretationFactory(draft=True, kind="video")
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert messages(error, "video_url") == "视频解读须填写视频地址或上传视频文件。"
        page.video_url = "https://video.example.com/jd.mp4"
        page.full_clean()
        page.video_url, page.video = "", DocumentFactory(filename="解读.mp4", content=b"\0\0\0\x18ftypmp42")
        page.full_clean()


def test_a_video_file_must_be_mp4(county):
    with schema_context(county.schema):
        video = DocumentFactory(filename="解读.pdf", title="解读")
        page = PolicyInterpretationFactory(draft=True, kind="video", video=video)
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert messages(error, "video") == "视频文件“解读”不是 MP4 格式。"


def test_the_source_of_an_interpretation_defaults_to_the_issuing_organ(county):
    with schema_context(county.schema):
        page = PolicyInterpretationFactory(policy=PolicyDocumentFactory(issuing_organ="锦江区财政局"))
        assert page.content_source == "锦江区财政局"
        page.source = "锦江区融媒体中心"
        assert page.content_source == "锦江区融媒体中心"
