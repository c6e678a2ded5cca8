"""Keep the site's search index and the central resource library in step with what the public can see.

One call per change: `index_page` after a publish or a move, `remove` after an
unpublish or a delete, `index_message` when a mailbox exchange is published or
withdrawn. Each takes the site explicitly (None in the template or a spare schema,
which have no library rows); the signal handlers look it up once per change, a
rebuild once per site. Each writes the site's `SearchEntry` (in its schema) and the
matching `library.ResourceItem` (in the public schema, reachable through the search path)
in the caller's transaction, so both commit or neither does.

What is indexed is what Wagtail's `search_fields` of each page type declare, so a
new page type is searchable by declaring its fields, as for Wagtail's own search.
"""

import html

from django.contrib.postgres.search import SearchVector
from django.db.models import Value
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index as wagtail_index

from interaction.models import Message
from library.models import ResourceItem
from tenants.models import require_schema

from . import segment
from .models import Kind, SearchEntry

SUMMARY_CHARS = 140
KINDS = {
    "columns.articlepage": Kind.ARTICLE,
    "policies.policydocumentpage": Kind.POLICY,
    "policies.policyinterpretationpage": Kind.INTERPRETATION,
    "services.serviceguidepage": Kind.SERVICE,
    "interaction.consultationpage": Kind.CONSULTATION,
    "syndication.reprintpage": Kind.REPRINT,
}
# Columns and the home page are navigation, not results.
NOT_INDEXED = {"columns.homepage", "columns.columnpage", "policies.policylibrarypage", "interaction.mailboxpage"}


def page_key(page_id):
    return f"page:{page_id}"


def message_key(message_id):
    return f"message:{message_id}"


def plain(value):
    return " ".join(html.unescape(strip_tags(str(value or ""))).split())


def _label(page):
    return f"{page._meta.app_label}.{page._meta.model_name}"


def is_indexable(page):
    return page.live and _label(page) not in NOT_INDEXED and page.depth > 2 and not page.get_view_restrictions()


def page_document(page):
    """(kind, title, summary, body, column) of a live page."""
    page = page.specific
    texts = []
    for field in page.search_fields:
        if isinstance(field, wagtail_index.SearchField) and field.field_name != "title":
            texts.append(plain(getattr(page, field.field_name, "")))
    body = " ".join(t for t in texts if t)
    summary = plain(getattr(page, "summary", "") or getattr(page, "summary_text", "")) or body[:SUMMARY_CHARS]
    parent = page.get_parent()
    return KINDS.get(_label(page), Kind.PAGE), page.title, summary, body, parent


def _upsert(model, row, unique_fields):
    """INSERT … ON CONFLICT DO UPDATE: one statement, whether the item is new or not."""
    model.objects.bulk_create(
        [model(**row)], update_conflicts=True, unique_fields=unique_fields,
        update_fields=[name for name in row if name not in unique_fields],
    )


def _write(key, site, *, kind, title, summary, body, url, column_id, column_title, published_at):
    """Upsert the entry in the site's index and, for a real site (not the template), its library row."""
    title_tokens = " ".join(segment.index_tokens(title))
    body_tokens = " ".join(segment.index_tokens(body))
    vector = SearchVector(Value(title_tokens), weight="A", config="simple") + SearchVector(
        Value(body_tokens), weight="B", config="simple"
    )
    shared = {
        "kind": kind, "title": title[:255], "summary": summary[:SUMMARY_CHARS * 2], "column_title": column_title[:255],
        "published_at": published_at, "title_text": segment.normalise(title), "search_vector": vector,
    }
    entry = {"key": key, **shared, "url": url[:500], "column_id": column_id, "body_text": segment.normalise(body)}
    _upsert(SearchEntry, entry, ["key"])
    if site is None:  # the template or a spare schema: no site, no library row
        return
    if kind == Kind.REPRINT:  # the library holds the original (and its Distribution), once
        return
    _upsert(
        ResourceItem,
        {
            "site": site, "source_key": key, **shared, "url": site.base_url() + url,
            "segmented_text": f"{title_tokens} {body_tokens}", "updated_at": timezone.now(),
        },
        ["site", "source_key"],
    )


def remove(key, site):
    SearchEntry.objects.filter(key=key).delete()
    if site is not None:
        ResourceItem.objects.filter(site=site, source_key=key).delete()


def index_page(page, site):
    """Index a page (or drop it if the public cannot see it), with its descendants when asked after a move."""
    page = page.specific
    if not is_indexable(page):
        remove(page_key(page.pk), site)
        return
    kind, title, summary, body, parent = page_document(page)
    url_parts = page.get_url_parts()
    path = url_parts[2] if url_parts else page.url_path
    _write(
        page_key(page.pk), site, kind=kind, title=title, summary=summary, body=body, url=path,
        column_id=parent.pk if parent else None, column_title=parent.title if parent else "",
        published_at=page.first_published_at,
    )


def index_subtree(page, site):
    """After a move: every page below (and including) `page` has a new address."""
    require_schema(site)
    for descendant in Page.objects.descendant_of(page, inclusive=True).specific():
        index_page(descendant, site)


def index_message(message, site):
    """A mailbox exchange is searchable while it is public (answered, published, allowed by the citizen)."""
    key = message_key(message.pk)
    if message.mailbox is None or not Message.objects.public().filter(pk=message.pk).exists():
        remove(key, site)
        return
    mailbox = message.mailbox
    url_parts = mailbox.get_url_parts()
    base = url_parts[2] if url_parts else mailbox.url_path
    _write(
        key, site, kind=Kind.REPLY, title=message.subject, summary=plain(message.reply)[:SUMMARY_CHARS],
        body=f"{message.body} {plain(message.reply)}", url=f"{base}replies/{message.tracking_code}/",
        column_id=mailbox.pk, column_title=mailbox.title, published_at=message.replied_at,
    )


def rebuild(site, progress=None):
    """Index every live page and public exchange of `site` (the current schema's); drop entries of what is gone."""
    if site is not None:
        require_schema(site)
    pages = list(Page.objects.live().filter(depth__gt=2).specific())
    messages = list(Message.objects.public().select_related("mailbox"))
    keep = set()
    for page in pages:
        index_page(page, site)
        keep.add(page_key(page.pk))
        if progress:
            progress.update(1)
    for message in messages:
        index_message(message, site)
        keep.add(message_key(message.pk))
        if progress:
            progress.update(1)
    SearchEntry.objects.exclude(key__in=keep).delete()
    if site is not None:
        ResourceItem.objects.filter(site=site).exclude(source_key__in=keep).delete()
    return len(keep)


def indexable_count():
    return Page.objects.live().filter(depth__gt=2).count() + Message.objects.public().count()

