"""Personal data in an attachment's text is caught before publishing: PDF, Word and Excel, read with
maintained libraries; a confirmation holds for exactly those files."""

from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model

from columns.models import ArticleAttachment, ColumnPage
from tests import files
from tests.factories import ArticleFactory
from wording.checks import check_page
from wording.documents import file_text

ID_NUMBER = "11010519491231002X"


def attach(site, name, data, body="<p>通知见附件。</p>"):
    with schema_context(site.schema):
        document = get_document_model().objects.create(title=name, file=ContentFile(data, name=name))
        article = ArticleFactory(parent=ColumnPage.objects.get(slug="tzgg"), title="关于公布补贴名单的通知", body=body)
        ArticleAttachment.objects.create(page=article, document=document)
        return check_page(article.get_latest_revision_as_object() if article.latest_revision else article)


def test_an_identity_number_in_a_pdf_attachment_is_caught(county):
    result = attach(county, "名单.pdf", files.pdf_with_text(f"Zhang San {ID_NUMBER} subsidy 3000"))
    [(label, snippet, hit)] = result.doubtful
    assert label == "附件《名单.pdf》" and hit.found == ID_NUMBER and hit.rule == "resident_id"
    assert snippet[hit.start:hit.end] == ID_NUMBER
    assert not result.serious


def test_word_and_excel_attachments_are_read_too(county):
    assert [hit.found for _l, _s, hit in attach(county, "名单.docx", files.docx_with_text(
        "联系电话 13912345678")).doubtful] == ["13912345678"]
    assert [hit.rule for _l, _s, hit in attach(county, "名单.xlsx", files.xlsx_with_rows(
        [["姓名", "身份证号"], ["张三", ID_NUMBER]])).doubtful] == ["resident_id"]


def test_a_clean_or_unreadable_attachment_passes(county):
    assert attach(county, "说明.pdf", files.pdf_with_text("No personal data here")).hits == []
    assert file_text("坏文件.pdf", b"%PDF-1.4 not really") == ""
    assert file_text("坏文件.docx", b"PK not a zip") == ""
    assert file_text("图片.png", b"\\x89PNG") == ""


def test_a_document_linked_from_the_body_is_checked_like_an_attachment(county):
    with schema_context(county.schema):
        document = get_document_model().objects.create(
            title="附表", file=ContentFile(files.pdf_with_text(f"ID {ID_NUMBER}"), name="附表.pdf"))
        article = ArticleFactory(parent=ColumnPage.objects.get(slug="tzgg"), title="通知",
                                 body=f'<p>见<a linktype="document" id="{document.pk}">附表</a>。</p>')
        result = check_page(article)
    assert [hit.found for _l, _s, hit in result.doubtful] == [ID_NUMBER]
