"""发文字号 as people type them, and one canonical form to search by.

Editors and citizens write the brackets of 川府发〔2024〕3号 every which way:
[2024], (2024), （2024）, 【2024】, ［2024］, with full-width digits or spaces.
The canonical form uses 〔〕, ASCII digits and no spaces, so any of those
spellings, or any part of one, finds the document.
"""

import unicodedata

# After NFKC (which already turns （）［］｛｝ and full-width digits into ASCII), the
# brackets still to unify. ﹝﹞ become 〔〕 under NFKC by themselves.
_TO_TORTOISE_SHELL = str.maketrans("[](){}【】〖〗〘〙<>", "〔〕〔〕〔〕〔〕〔〕〔〕〔〕")


def normalise_document_number(value):
    """川府发[2024] 3号 → 川府发〔2024〕3号."""
    text = unicodedata.normalize("NFKC", value or "").translate(_TO_TORTOISE_SHELL)
    return "".join(text.split())
