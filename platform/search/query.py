"""Search queries over the site's index or the central library, with the platform's ranking.

Ranking (documented in docs/architecture.md):

    score = ts_rank(vector, tokens)             # weights: title (A) 1.0, body (B) 0.4
          + 1.0  if the title contains the whole query as typed (normalised)
          + 0.3  if the body contains it (site index only; the library has no body text)
    score × (1 + 0.2 / (1 + age in days / 180))  # a mild boost for recent items

A document matches when it has every query token (AND; a token or one of its
synonyms), which the GIN index answers without reading the table; documents are
indexed in jieba's search mode, so the shorter words inside a long one are tokens
too. "date" sorting orders the same matches newest first.

Scoring reads each candidate's whole vector, so it is what grows with the number of
matches: a query that matches more than RANK_CANDIDATES items (a common word over
the province's million) ranks the RANK_CANDIDATES newest of them, and the page says
there are many without counting them all (that would read every match again).
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, ExpressionWrapper, F, FloatField, Value, When
from django.db.models.functions import Coalesce, Extract, Now

from . import segment

TITLE_PHRASE_BONUS = 1.0
BODY_PHRASE_BONUS = 0.3
RECENCY_BOOST = 0.2
RECENCY_HALF_DAYS = 180.0
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D, C, B, A
SNIPPET_CHARS = 120
RANK_CANDIDATES = 5000


@dataclass
class ParsedQuery:
    text: str  # normalised, as typed
    tokens: list

    @property
    def empty(self):
        return not self.tokens

    def tsquery(self):
        """Every token must match, each one or any of its synonyms (synonyms.txt): 低保 finds 最低生活保障."""
        # Tokens and synonyms are \w runs only (see segment._clean): no tsquery syntax can get in.
        table = segment.synonyms()
        groups = []
        for token in self.tokens:
            alternatives = [token, *sorted(table.get(token, ()))]
            groups.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")")
        return SearchQuery(" & ".join(groups), search_type="raw", config="simple")


def parse(raw):
    text = segment.normalise(raw or "")[: segment.MAX_QUERY_CHARS]
    return ParsedQuery(text=text, tokens=segment.query_tokens(text))


def _recency():
    age_days = Extract(Now() - Coalesce(F("published_at"), Now()), "epoch") / Value(86400.0)
    return ExpressionWrapper(
        Value(1.0) + Value(RECENCY_BOOST) / (Value(1.0) + age_days / Value(RECENCY_HALF_DAYS)),
        output_field=FloatField(),
    )


def matches(queryset, parsed):
    """Every row of `queryset` that matches the query (for the count; nothing scored)."""
    return queryset.filter(search_vector=parsed.tsquery())


def rank(queryset, parsed, *, has_body, candidates=None):
    """(the newest `candidates` matching rows of `queryset` annotated with `score`, how many they are).

    `has_body`: rows carry body_text for the phrase bonus. Fewer than `candidates`
    matches: all are scored. The candidates are fetched once, as ids, so the count and
    each page of results do not look for them again.
    """
    tsquery = parsed.tsquery()
    newest = matches(queryset, parsed).order_by(F("published_at").desc(nulls_last=True), "-pk")
    ids = list(newest.values_list("pk", flat=True)[: candidates or RANK_CANDIDATES])
    bonus = Case(When(title_text__contains=parsed.text, then=Value(TITLE_PHRASE_BONUS)), default=Value(0.0))
    if has_body:
        bonus = bonus + Case(
            When(body_text__contains=parsed.text, then=Value(BODY_PHRASE_BONUS)), default=Value(0.0)
        )
    scored = queryset.model.objects.filter(pk__in=ids).annotate(
        score=ExpressionWrapper(
            (SearchRank(F("search_vector"), tsquery, weights=RANK_WEIGHTS) + bonus) * _recency(),
            output_field=FloatField(),
        )
    )
    return scored, len(ids)


def order(queryset, sort):
    if sort == "date":
        return queryset.order_by(F("published_at").desc(nulls_last=True), "-score", "pk")
    return queryset.order_by("-score", F("published_at").desc(nulls_last=True), "pk")


def highlight(text, parsed, limit=None):
    """HTML: `text` escaped, cut around the first match when `limit` is set, matches wrapped in <mark>."""
    text = text or ""
    terms = sorted({parsed.text, *parsed.tokens} - {""}, key=len, reverse=True)
    if limit and len(text) > limit:
        lowered = segment.normalise(text)
        positions = [lowered.find(term) for term in terms if lowered.find(term) >= 0]
        start = max(0, min(positions) - limit // 4) if positions and len(lowered) == len(text) else 0
        text = ("…" if start else "") + text[start:start + limit] + ("…" if start + limit < len(text) else "")
    escaped = html.escape(text)
    if not terms:
        return escaped
    pattern = re.compile("|".join(re.escape(html.escape(term)) for term in terms), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
