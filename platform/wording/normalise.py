"""Text as the word lists see it: one comparable form, with the way back to the original.

Each character is folded (NFKC: full-width → half-width; lower case; traditional → simplified) and
spaces, punctuation and symbols are dropped, so 中 华 人 民 共 合 国, 中·华·人·民·共·合·国 and
中華人民共合國 all read 中华人民共合国. `normalise` keeps, for every character it returns, the
index of the character it came from, so a hit is shown in the editor's own text.
"""

import unicodedata
from functools import lru_cache

from zhconv import convert

# Unicode categories dropped: separators, punctuation, symbols, controls.
DROPPED = ("Z", "P", "S", "C")


@lru_cache(maxsize=65536)
def fold(char):
    """The character's comparable form ("" when it is dropped); may be more than one character (NFKC)."""
    out = []
    for c in unicodedata.normalize("NFKC", char).lower():
        if unicodedata.category(c)[0] in DROPPED:
            continue
        out.append(convert(c, "zh-cn"))
    return "".join(out)


def normalise(text):
    """(folded text, [index in `text` of each folded character])."""
    chars, where = [], []
    for index, char in enumerate(text):
        for c in fold(char):
            chars.append(c)
            where.append(index)
    return "".join(chars), where


def normalise_term(term):
    return normalise(term)[0]


@lru_cache(maxsize=1)
def _table():
    """str.translate's table of every character of the Basic Multilingual Plane that `fold` changes
    (about 20,000; built once per process in a tenth of a second)."""
    table = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        folded = fold(chr(code))
        if folded != chr(code):
            table[code] = folded
    return table


def fast(text):
    """The folded text without the way back, at the speed of str.translate: for the scan, which needs
    `normalise` only for the few texts with a hit (the result is the same for them)."""
    return text.translate(_table())
