"""The labelled evaluation set of Chinese search (cases.json) and how it is scored.

Each case is a query and the titles that must appear in the first 10 results on
the demo content of 锦江区. Reported per engine:

- recall@10: the share of expected titles found in the top 10, over all cases;
- precision@10: of the results shown in the top 10 (at most 10), the share that are
  expected — averaged over the cases that returned anything.

`manage.py evaluate_search` prints both for our search and for Wagtail's stock
database backend; tests/search/test_evaluation.py fails if our recall@10 drops below 0.9.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from wagtail.models import Page

from policies.models import PolicyDocumentPage

from ..models import SearchEntry
from ..query import order, parse, rank

CASES = Path(__file__).with_name("cases.json")
TOP = 10


def load_cases():
    return json.loads(CASES.read_text(encoding="utf-8"))["cases"]


@dataclass
class Score:
    cases: int = 0
    expected: int = 0
    found: int = 0
    precision_sum: float = 0.0
    precision_cases: int = 0
    misses: list = field(default_factory=list)

    @property
    def recall(self):
        return self.found / self.expected if self.expected else 0.0

    @property
    def precision(self):
        return self.precision_sum / self.precision_cases if self.precision_cases else 0.0


BRACKETS = {"square": ("[", "]"), "paren": ("（", "）"), "none": ("", " ")}


def case_query(case):
    """The query of a case; for a 文号 case, the policy's document number as the demo made it, re-bracketed."""
    if "document_number_of" not in case:
        return case["query"]

    number = PolicyDocumentPage.objects.get(title=case["document_number_of"]).document_number
    left, right = BRACKETS.get(case.get("brackets"), ("〔", "〕"))
    return number.replace("〔", left).replace("〕", right)


def evaluate(search_titles, cases=None):
    """Score `search_titles(query) -> [title, ...]` (ranked) over the cases, in the current site's schema."""
    score = Score()
    for case in cases or load_cases():
        query = case_query(case)
        titles = search_titles(query)[:TOP]
        expected = set(case["expected"])
        hits = expected & set(titles)
        score.cases += 1
        score.expected += len(expected)
        score.found += len(hits)
        if titles:
            score.precision_sum += sum(1 for t in titles if t in expected) / len(titles)
            score.precision_cases += 1
        if hits != expected:
            score.misses.append((query, sorted(expected - hits)))
    return score


def our_titles(query):
    """Titles of the site search's top 10, as the search page ranks them (site scope)."""
    parsed = parse(query)
    if parsed.empty:
        return []
    scored, _ = rank(SearchEntry.objects.all(), parsed, has_body=True)
    return list(order(scored, "relevance").values_list(
        "title", flat=True
    )[:TOP])


def wagtail_titles(query):
    """Titles of Wagtail's stock search (its database backend over live pages) for comparison."""
    return [page.title for page in Page.objects.live().filter(depth__gt=2).search(query)[:TOP]]
