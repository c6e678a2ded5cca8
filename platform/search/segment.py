"""Chinese text into search tokens, the same way at indexing and at query time.

jieba segments (its dictionary ships with the package; nothing is downloaded), with
our dictionary of government terms (dictionary.txt) and the platform's region names
(tenants/data/regions-sichuan.csv, with and without their 省/市/区/县 suffix) added,
so 营商环境, 放管服, 一网通办 and 锦江 stay whole. Before segmenting, text is
normalised: NFKC (full-width letters and digits become half-width), traditional
characters become simplified (zhconv), Latin letters lower-case.

Indexing emits each word and every dictionary word inside it (营商环境 → 营商, 环境,
营商环境; 老旧小区改造 → … 老旧小区 …), so a query for a part finds the whole.
Queries use the precise mode. Tokens are runs of letters, digits and CJK characters only:
punctuation, and with it every tsquery or SQL metacharacter, never reaches the
database as syntax.
"""

import csv
import logging
import re
import threading
import unicodedata
from pathlib import Path

import jieba
import zhconv

DICTIONARY = Path(__file__).with_name("dictionary.txt")
SYNONYMS = Path(__file__).with_name("synonyms.txt")
REGIONS = Path(__file__).resolve().parents[2] / "tenants" / "data" / "regions-sichuan.csv"
REGION_SUFFIXES = ("自治州", "自治县", "新区", "街道", "省", "市", "区", "县", "州", "镇", "乡")
MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 16
_TOKEN = re.compile(r"\w+")

_tokenizer = None
_lock = threading.Lock()


def tokenizer():
    """The platform's jieba tokenizer, built once per process (about a second)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                made = jieba.Tokenizer()
                made.load_userdict(str(DICTIONARY))
                for name in region_names():
                    made.add_word(name, freq=200)
                _tokenizer = made
    return _tokenizer


def region_names():
    names = set()
    with REGIONS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["name"].strip()
            names.add(name)
            for suffix in REGION_SUFFIXES:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    names.add(name[: -len(suffix)])
                    break
    return sorted(names)


def normalise(text):
    """Full-width → half-width, traditional → simplified, lower case; whitespace runs become one space."""
    text = unicodedata.normalize("NFKC", text or "")
    text = zhconv.convert(text, "zh-cn")
    return " ".join(text.lower().split())


def _clean(tokens):
    for token in tokens:
        yield from _TOKEN.findall(token)


def _with_inner_words(words, known):
    """Each word, preceded by every dictionary word inside it.

    jieba's search mode only adds the two- and three-character words inside a long
    one; 城镇老旧小区改造 must also yield 老旧小区 for a query of 老旧小区 to find it.
    """
    for word in words:
        for size in range(2, len(word)):
            for start in range(len(word) - size + 1):
                inner = word[start:start + size]
                if known.get(inner):
                    yield inner
        yield word


def index_tokens(text):
    """Tokens of a document: its words and the dictionary words inside them."""
    made = tokenizer()
    return list(_clean(_with_inner_words(made.cut(normalise(text)), made.FREQ)))


def query_tokens(query):
    """Tokens of a query, precise mode, at most MAX_QUERY_TOKENS distinct ones, in order."""
    seen = []
    for token in _clean(tokenizer().cut(normalise(query)[:MAX_QUERY_CHARS])):
        if token not in seen:
            seen.append(token)
    return seen[:MAX_QUERY_TOKENS]


_synonyms = None


def synonyms():
    """{term: {equivalent terms}} from synonyms.txt, both directions, each term as one index token."""
    global _synonyms
    if _synonyms is None:
        table = {}
        for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if "=" not in line:
                continue
            short, full = line.split("=", 1)
            terms = [normalise(t) for t in [short, *full.split(",")] if _TOKEN.fullmatch(normalise(t))]
            for term in terms:
                table.setdefault(term, set()).update(t for t in terms if t != term)
        _synonyms = table
    return _synonyms
