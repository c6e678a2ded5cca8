"""Builders for policy pages, used inside a fixture site's schema (`schema_context`)."""

from datetime import date

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from columns.models import ColumnPage
from policies.models import PolicyDocumentPage, PolicyInterpretationPage, PolicyLibraryPage


def library():
    return PolicyLibraryPage.objects.get(slug="zcwj")


def interpretation_column():
    return ColumnPage.objects.get(slug="zcjd")


def policy(parent=None, *, publish=True, **fields):
    values = {
        "title": "锦江区人民政府关于优化营商环境的实施意见",
        "index_number": "11510104MB0000000X/2024-00001",
        "topic": "economy",
        "issuing_organ": "锦江区人民政府",
        "document_number": "锦府发〔2024〕3号",
        "written_date": date(2024, 3, 1),
        "published_date": date(2024, 3, 5),
        "body": "<p>正文</p>",
        **fields,
    }
    return _add(parent or library(), PolicyDocumentPage(**values), publish)


def interpretation(policy_page, *, publish=True, **fields):
    values = {"title": "《关于优化营商环境的实施意见》政策解读", "policy": policy_page, "body": "<p>解读</p>", **fields}
    return _add(interpretation_column(), PolicyInterpretationPage(**values), publish)


def _add(parent, page, publish):
    """Publish as Wagtail does, or keep a draft (drafts skip full validation, like the admin's)."""
    page.live = publish
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision(clean=False)
    return page


def document(name, content=b"%PDF-1.4 test", title=None):
    return get_document_model().objects.create(title=title or name, file=ContentFile(content, name=name))
