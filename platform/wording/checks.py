"""The check of a page before it goes out: what the lists find in its texts, and whether an editor has
already confirmed the doubtful hits of exactly this content (a confirmation is an audit row)."""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

from tenants.models import AuditAction, AuditEvent, current_site

from . import engine
from .models import Kind
from .texts import digest, page_texts


@dataclass
class PageCheck:
    hits: list = field(default_factory=list)  # [(label, text, Hit)]
    digest: str = ""

    @property
    def serious(self):
        return [item for item in self.hits if item[2].kind == Kind.SERIOUS]

    @property
    def doubtful(self):
        """Suspect terms and personal data: they may go out once an editor says why."""
        return [item for item in self.hits if item[2].kind != Kind.SERIOUS]

    def summary(self, items):
        """The hits as the audit row keeps them: what was found, where, and the correct form."""
        return [{"field": label, "found": hit.found, "kind": hit.kind, "correct": hit.correct}
                for label, _text, hit in items][:50]


def check_texts(texts):
    """The check of [(label, text)]: every hit with where it is, and the texts' digest."""
    checker = engine.current()  # the lists' version is looked up once, not per text
    hits = [(label, text, hit) for label, text in texts for hit in checker.check(text)]
    return PageCheck(hits, digest(texts))


def check_page(page):
    """The page's texts, and the personal data in the documents it attaches (their content hashes are
    part of the digest: a confirmation holds for these files)."""
    from .documents import document_hits, page_documents  # the file readers load only when a page is checked

    texts = page_texts(page)
    documents = page_documents(page)
    result = check_texts(texts)
    for document in documents:
        result.hits += document_hits(document)
    result.digest = digest(texts + [(f"document {d.pk}", d.file_hash or d.filename) for d in documents])
    return result


def held(result, confirmed):
    """Whether `result` keeps a text from going out: a serious hit always; a doubtful one unless an editor
    confirmed it (`confirmed`: a reason given now, or a confirmation on record for this content)."""
    return bool(result.serious or (result.doubtful and not confirmed))


def is_confirmed(page_id, content_digest):
    site = current_site()
    return page_id is not None and AuditEvent.objects.filter(
        action=AuditAction.CONFIRM_WORDING, site=site, detail__page=page_id, detail__digest=content_digest,
    ).exists()


def hits_html(items):
    """<ul> of the hits, each in its context with the words found marked and the correct form."""
    def row(label, text, hit):
        before, found, after = hit.context(text)
        correct = format_html("，应为：<strong>{}</strong>", hit.correct) if hit.correct else ""
        note = format_html("（{}）", hit.note) if hit.note else ""
        return (hit.label, label, before, found, after, correct, note)

    return format_html(
        '<ul class="wording-hits">{}</ul>',
        format_html_join("", "<li>【{}】{}：…{}<mark>{}</mark>{}…{}{}</li>", (row(*item) for item in items)),
    )
