"""Every change to the province's word lists as one action with its audit row (the console's views are
thin wrappers); each asks for a re-scan of every site (wording.scan.request_run)."""

from django.db import transaction

from tenants import audit
from tenants.models import AuditAction

from .listio import ListError, check_term
from .models import Leader, Term
from .normalise import normalise_term
from .scan import request_run


class WordingError(ValueError):
    """The change cannot be made; the message says why, in Chinese."""


def _name(user):
    return user.get_username() if user is not None and hasattr(user, "get_username") else ""


def add_term(text, kind, correct="", note="", *, acting_user, source=""):
    text, correct, note = text.strip(), correct.strip(), note.strip()
    problems = check_term(text, kind, correct)
    if problems:
        raise WordingError("；".join(problems))
    existing = Term.objects.filter(normalised=normalise_term(text)).first()
    if existing is not None:
        raise WordingError(f"词表中已有“{existing.text}”（规范化后相同）")
    with transaction.atomic():
        term = Term.objects.create(text=text, kind=kind, correct=correct, note=note[:200],
                                   updated_by=_name(acting_user))
        request_run("词表变更")
        audit.record(AuditAction.ADD_WORDING_TERM, acting_user=acting_user, source=source, term=text, kind=kind,
                     correct=correct)
    return term


def remove_term(term, *, acting_user, source=""):
    with transaction.atomic():
        request_run("词表变更")
        audit.record(AuditAction.REMOVE_WORDING_TERM, acting_user=acting_user, source=source, term=term.text,
                     kind=term.kind)
        term.delete()


def import_terms(rows, *, acting_user, source_name="", source=""):
    """Add the rows' terms and update those already listed (kind, correct form, note); returns (added, updated)."""
    if not rows:
        raise ListError(["文件中没有词语"])
    existing = {term.normalised: term for term in Term.objects.filter(normalised__in=[r.normalised for r in rows])}
    added = updated = 0
    with transaction.atomic():
        for row in rows:
            term = existing.get(row.normalised)
            if term is None:
                Term.objects.create(text=row.text, kind=row.kind, correct=row.correct, note=row.note,
                                    updated_by=_name(acting_user))
                added += 1
            elif (term.kind, term.correct, term.note) != (row.kind, row.correct, row.note):
                term.kind, term.correct, term.note = row.kind, row.correct, row.note
                term.updated_by = _name(acting_user)
                term.save()
                updated += 1
        request_run("词表变更")
        audit.record(AuditAction.IMPORT_WORDING_TERMS, acting_user=acting_user, source=source, file=source_name[:200],
                     added=added, updated=updated)
    return added, updated


def add_leader(name, title, rank, *, acting_user, source=""):
    name, title = name.strip(), title.strip()
    if not name or not title:
        raise WordingError("请填写姓名和职务")
    if Leader.objects.filter(name=name, title=title).exists():
        raise WordingError(f"名单中已有{title}{name}")
    with transaction.atomic():
        leader = Leader.objects.create(name=name[:20], title=title[:50], rank=rank, updated_by=_name(acting_user))
        request_run("领导名单变更")
        audit.record(AuditAction.ADD_LEADER, acting_user=acting_user, source=source, name=name, title=title, rank=rank)
    return leader


def remove_leader(leader, *, acting_user, source=""):
    with transaction.atomic():
        request_run("领导名单变更")
        audit.record(AuditAction.REMOVE_LEADER, acting_user=acting_user, source=source, name=leader.name,
                     title=leader.title)
        leader.delete()
