"""What of a source page goes into the library for the sites below: a self-contained snapshot.

Taken in the source site's schema each time the page is published. Rich text is expanded
as the public sees it and every address in it made absolute to the source's host, so the
copy shown on another host links and embeds what the source serves (its pages, images and
documents stay the source's, served once).
"""

import re

import nh3
from django.utils.html import strip_tags
from wagtail.rich_text import expand_db_html

from columns.models import ArticlePage, path_on_site
from policies.models import PolicyDocumentPage, PolicyInterpretationPage

# The page types an editor may push down: what a site below would reprint.
DISTRIBUTABLE = (ArticlePage, PolicyDocumentPage, PolicyInterpretationPage)
SUMMARY_CHARS = 140
_RELATIVE = re.compile(r'\b(href|src)="/(?!/)')
# What a copy may carry of the source's expanded rich text: Wagtail's own output (paragraphs,
# headings, lists, links, images, tables), never script, handlers, styles or frames. Every
# receiving site renders the stored body as it is, so it is cleaned before it is stored.
BODY_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "ul", "ol", "li", "a", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "hr", "img", "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr",
    "th", "td", "code", "pre", "span", "div",
}
BODY_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "width", "height", "class"}, "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"}, "figure": {"class"},
}


def is_distributable(page):
    return isinstance(page.specific, DISTRIBUTABLE)


def is_private(page):
    """A view restriction on the page or any section above it: only some people may read it."""
    return page.get_view_restrictions().exists()


def clean_body(html):
    return nh3.clean(html, tags=BODY_TAGS, attributes=BODY_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener")


def absolute_html(html, base):
    """Site-relative addresses ("/xwdt/a/", "/media/...") made absolute to `base` (the source's host)."""
    return _RELATIVE.sub(lambda m: f'{m.group(1)}="{base}/', html)


def _plain(html):
    return " ".join(strip_tags(html).split())


def snapshot(page, site):
    """The Distribution fields for `page` (published, in `site`'s schema, which is the current one)."""
    page = page.specific
    base = site.base_url()
    body = clean_body(absolute_html(expand_db_html(page.body or ""), base))
    data = {
        "kind": page._meta.model_name.removesuffix("page"),
        "title": page.title,
        "source_url": base + path_on_site(page.url_path),
        "source_name": site.display_name,
        "published_at": page.first_published_at,
        "body": body,
        "summary": (getattr(page, "summary", "") or _plain(body))[:SUMMARY_CHARS],
        "metadata": [],
        "attachments": [],
        "validity": "",
        "validity_note": "",
    }
    if isinstance(page, ArticlePage):
        data["source_name"] = page.source or site.display_name
        data["attachments"] = [
            {"title": a.label, "url": base + a.document.url} for a in page.attachments.select_related("document")
        ]
    elif isinstance(page, PolicyDocumentPage):
        data["source_name"] = page.issuing_organ
        data["metadata"] = [
            ["索引号", page.index_number],
            ["主题分类", page.get_topic_display()],
            ["发文机关", page.issuing_organ],
            ["发文字号", page.document_number or "无"],
            ["成文日期", page.written_date.isoformat() if page.written_date else ""],
            ["发布日期", page.published_date.isoformat() if page.published_date else ""],
            ["有效性", page.get_validity_display()],
        ]
        data["validity"] = page.validity
        if page.validity_verb:
            changed = page.validity_changed_date.isoformat() if page.validity_changed_date else ""
            data["validity_note"] = f"本文件已于 {changed} {page.validity_verb}"
        data["attachments"] = [
            {"title": a.document.title, "url": base + a.document.url}
            for a in page.attachments.select_related("document")
        ]
    elif isinstance(page, PolicyInterpretationPage):
        data["source_name"] = page.content_source or site.display_name
        if page.policy_id:
            data["metadata"] = [["解读的政策文件", page.policy.title]]
    return data
