"""The check: every term of the lists and every leader's name found in one pass over the text.

An Aho–Corasick automaton (pyahocorasick) over the normalised terms, names and titles reads a text
once whatever the number of terms; the text is normalised the same way (wording.normalise), so
spacing or punctuation slipped between the characters, full-width forms and traditional characters
do not hide a term. On top of the terms:
- a leader's name right next to a title (before or after, 省长张三 / 张三省长) that is not one of
  theirs is a serious error, with the right title as the correct form;
- leaders named one after another (张三、李四、王五) out of their order is a serious error;
- personal data (wording.personal) is found in the original text.
`current()` rebuilds the automaton when the lists change (their row count or last change).
"""

from dataclasses import dataclass
from itertools import compress

import ahocorasick
from django.db.models import Count, Max

from . import personal
from .models import Kind, Leader, Term
from .normalise import fast, fold, normalise, normalise_term

PERSONAL = "personal"
CONTEXT_CHARS = 15


@dataclass(frozen=True)
class Hit:
    kind: str  # Kind.SERIOUS, Kind.SUSPECT or PERSONAL
    found: str  # the words as the text has them
    correct: str  # the correct form, or what to do about it
    start: int  # in the original text
    end: int
    rule: str = "term"  # term, leader_title, leader_order, or the personal data's kind
    note: str = ""

    @property
    def label(self):
        return {Kind.SERIOUS: "严重错误", Kind.SUSPECT: "疑似错误", PERSONAL: "个人信息"}[self.kind]

    def context(self, text):
        """(before, found, after): the hit with up to CONTEXT_CHARS characters each side."""
        return (text[max(0, self.start - CONTEXT_CHARS):self.start], text[self.start:self.end],
                text[self.end:self.end + CONTEXT_CHARS])


class Checker:
    def __init__(self, terms, leaders):
        self.automaton = ahocorasick.Automaton()
        entries = {}
        for term in terms:
            entries.setdefault(term.normalised, []).append(("term", term))
        self.leaders = {}
        for leader in leaders:
            self.leaders.setdefault(normalise_term(leader.name), []).append(leader)
        for name in self.leaders:
            entries.setdefault(name, []).append(("name", name))
        self.titles = {normalise_term(leader.title) for leader in leaders}
        for title in self.titles:
            entries.setdefault(title, []).append(("title", title))
        for key, values in entries.items():
            if key:
                self.automaton.add_word(key, (len(key), values))
        self.empty = not entries
        if not self.empty:
            self.automaton.make_automaton()

    def check(self, text):
        """[Hit] in `text`, in order of position."""
        hits = [Hit(PERSONAL, text[s:e], f"请删除或隐去{what}", s, e, rule=rule)
                for rule, s, e, what in personal.find(text)]
        if self.empty or not text or not self.any_match(text):
            return hits
        norm, where = _normalise(text)
        names, titles_ending, titles_starting = [], {}, {}
        for end, (length, values) in self.automaton.iter(norm):
            start = end - length + 1
            for what, value in values:
                if what == "term":
                    hits.append(self._hit(text, where, start, end, value.kind, value.correct, note=value.note))
                elif what == "name":
                    names.append((start, end, value))
                else:
                    # The longest title at each place: 副省长 before 省长.
                    if len(value) > len(titles_ending.get(end, "")):
                        titles_ending[end] = value
                    if len(value) > len(titles_starting.get(start, "")):
                        titles_starting[start] = value
        hits += self._leaders(text, where, names, titles_ending, titles_starting)
        return sorted(set(hits), key=lambda hit: (hit.start, hit.end))

    def any_match(self, text):
        """Whether anything of the lists is in `text` (names and titles too): the quick first look."""
        return next(self.automaton.iter(fast(text)), None) is not None

    @staticmethod
    def _hit(text, where, start, end, kind, correct, rule="term", note=""):
        s, e = where[start], where[end] + 1
        return Hit(kind, text[s:e], correct, s, e, rule=rule, note=note)

    def _leaders(self, text, where, names, titles_ending, titles_starting):
        hits = []
        for start, end, name in names:
            leaders = self.leaders[name]
            own = {normalise_term(leader.title) for leader in leaders}
            before, after = titles_ending.get(start - 1), titles_starting.get(end + 1)
            spans = []
            if before and before not in own:
                spans.append((start - len(before), end))
            if after and after not in own:
                spans.append((start, end + len(after)))
            right = "、".join(f"{leader.title}{leader.name}" for leader in leaders)
            hits += [self._hit(text, where, s, e, Kind.SERIOUS, right, rule="leader_title", note="领导职务与名单不符")
                     for s, e in spans]
        for run in _runs(sorted(names)):
            ranks = [(self._rank(name), self.leaders[name][0].name) for _s, _e, name in run]
            if ranks != sorted(ranks):
                hits.append(self._hit(text, where, run[0][0], run[-1][1], Kind.SERIOUS,
                                      "、".join(n for _r, n in sorted(ranks)), rule="leader_order",
                                      note="领导排序与名单不符"))
        return hits

    def _rank(self, name):
        return min(leader.rank for leader in self.leaders[name])


def _normalise(text):
    """`normalise(text)`, without its loop over the characters when each folds to one character or none
    (nearly every text: the map and the index list are then made in C)."""
    folds = list(map(fold, text))
    norm = "".join(folds)
    if len(norm) != len(text) - folds.count(""):
        return normalise(text)
    return norm, list(compress(range(len(text)), folds))


def _runs(names):
    """Names one right after another (punctuation and spaces are gone once normalised): a list of leaders."""
    run = []
    for item in names:
        if run and item[0] == run[-1][1] + 1:
            run.append(item)
            continue
        if len(run) > 1:
            yield run
        run = [item]
    if len(run) > 1:
        yield run


_cache = {"key": None, "checker": None}


def _version():
    terms = Term.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    leaders = Leader.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return terms["n"], terms["last"], leaders["n"], leaders["last"]


def current():
    """The checker for the lists as they are now (two small queries to know; rebuilt when they changed)."""
    key = _version()
    if _cache["key"] != key:
        _cache["checker"] = Checker(list(Term.objects.all()), list(Leader.objects.all()))
        _cache["key"] = key
    return _cache["checker"]


def check(text):
    return current().check(text)
