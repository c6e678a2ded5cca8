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
