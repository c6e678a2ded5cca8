"""What of a page goes out to the public, as text: every editable text field of its specific type
(titles, summaries, rich text without its tags, StreamField blocks' text) and its inline children's
(attachments' titles, questions...). Generic, so every page type of every app is checked the same way
without the page types knowing about the check.
"""

import hashlib
import html
from functools import cache

from django.db import models
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from wagtail.fields import StreamField

# Fields that are addresses or codes, not words a reader reads.
SKIPPED = {"slug", "url_path", "path", "draft_title", "index_number", "search_description_normalised",
           "document_number_normalised", "normalised", "translation_key", "online_url"}
TEXT_FIELDS = (models.CharField, models.TextField)
NOT_TEXT = (models.SlugField, models.URLField, models.EmailField, models.FilePathField)


def plain(value):
    return html.unescape(strip_tags(str(value or "")))


@cache
def text_fields(model):
    """The fields of `model` whose text a reader reads, in the model's order."""
    fields = []
    for field in model._meta.concrete_fields:
        if field.name in SKIPPED or field.choices or isinstance(field, NOT_TEXT):
            continue
        if isinstance(field, StreamField) or (isinstance(field, TEXT_FIELDS) and field.editable):
            fields.append(field)
    return fields


def field_text(field, value):
    """The text of one of `text_fields`' fields, from its value as the model holds it."""
    if isinstance(field, StreamField):
        return " ".join(str(t) for t in field.stream_block.get_searchable_content(value))
    return plain(value)


def _fields(instance):
    for field in text_fields(type(instance)):
        yield field, field_text(field, getattr(instance, field.name))


def page_texts(page, children=True):
    """[(label, text)] of `page` (the specific, possibly unsaved, instance), empty texts left out; without
    `children`, the page's own fields only: what the archive scan reads of a page (wording.scan.page_items,
    from the text columns alone)."""
    texts = [(str(field.verbose_name), text) for field, text in _fields(page) if text.strip()]
    if not children:
        return texts
    for relation in page._meta.related_objects:
        if not isinstance(relation.remote_field, ParentalKey):
            continue
        for child in getattr(page, relation.get_accessor_name()).all():
            for field, text in _fields(child):
                if text.strip() and not isinstance(field, ParentalKey):
                    texts.append((f"{relation.related_model._meta.verbose_name}：{field.verbose_name}", text))
    return texts


def digest(texts):
    """A fingerprint of the texts: a confirmation holds for exactly this content."""
    return hashlib.sha256("\x1e".join(f"{label}\x1f{text}" for label, text in texts).encode()).hexdigest()[:32]
