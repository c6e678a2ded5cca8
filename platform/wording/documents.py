"""Personal data in a page's attachments: the text of its PDF, Word and Excel documents, read with
maintained libraries (pypdf, python-docx, openpyxl), checked by wording.personal.

A page's documents are those its inline children choose (an article's 附件), those its own fields
choose and those its rich text links to. What a file holds is cached by its content hash (Wagtail's
`file_hash`), so publishing again does not read the same file again. A file that cannot be read
(encrypted, damaged, a scan without text) passes: the upload checks (columns.uploads) judged it safe,
and there is no text to leak.
"""

import io
import logging
import re

from django.core.cache import cache
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField

from . import personal
from .engine import PERSONAL, Hit

logger = logging.getLogger(__name__)

MAX_CHARS = 2_000_000  # of text read from one file
MAX_PDF_PAGES = 500
CACHE_SECONDS = 7 * 24 * 3600
_DOCUMENT_LINK = re.compile(r'<a[^>]*linktype="document"[^>]*\bid="(\d+)"')


def _pdf(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return ""
    return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])


def _docx(data):
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _xlsx(data):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return "\n".join(" ".join(str(v) for v in row if v is not None)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}


def file_text(name, data):
    """The text of a PDF, Word (.docx) or Excel (.xlsx) file; "" for other kinds or an unreadable file."""
    reader = READERS.get(name.rsplit(".", 1)[-1].lower())
    if reader is None:
        return ""
    try:
        return reader(data)[:MAX_CHARS]
    except Exception:  # the parsers raise many kinds on a damaged or unusual file: it has no text to check
        logger.info("could not read the text of %s", name, exc_info=True)
        return ""


def document_hits(document):
    """[(label, snippet, Hit)] of the personal data in `document`'s text, the snippet around each hit."""
    key = f"wording:document:{document.file_hash}" if document.file_hash else None
    found = cache.get(key) if key else None
    if found is None:
        try:
            with document.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError):
            return []
        text = file_text(document.filename, data)
        found = []
        for rule, start, end, what in personal.find(text):
            before, after = text[max(0, start - 15):start], text[end:end + 15]
            found.append((rule, what, before, text[start:end], after))
        if key:
            cache.set(key, found, CACHE_SECONDS)
    label = f"附件《{document.title}》"
    hits = []
    for rule, what, before, words, after in found:
        snippet = before + words + after
        hits.append((label, snippet, Hit(PERSONAL, words, f"请删除或隐去{what}", len(before),
                                         len(before) + len(words), rule=rule)))
    return hits


def page_documents(page):
    """The documents `page` (possibly unsaved, with its inline children in memory) attaches or links to."""
    document_model = get_document_model()
    ids, instances = set(), [page]
    for relation in page._meta.related_objects:
        if isinstance(relation.remote_field, ParentalKey):  # inline children, kept in memory before saving
            instances += list(getattr(page, relation.get_accessor_name()).all())
    for instance in instances:
        for field in instance._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and issubclass(field.related_model, document_model):
                if getattr(instance, field.attname):
                    ids.add(getattr(instance, field.attname))
            elif isinstance(field, RichTextField):
                ids.update(int(i) for i in _DOCUMENT_LINK.findall(getattr(instance, field.name) or ""))
    return list(document_model.objects.filter(pk__in=ids).order_by("pk")) if ids else []
