"""The approved colour schemes. A site picks one; nothing else about the look is per site.

Each scheme has one main colour (the national design rule: one main colour, at most
three in all). Every pairing the theme uses is contrast-checked by
tests/themes/test_palettes.py against WCAG 2.1 AA (4.5:1 for text).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    key: str
    label: str
    main: str  # header background, headings; white text sits on it
    dark: str  # navigation bar, hover; white text sits on it
    accent: str  # focus ring and highlights (never carries text)


PALETTES = (
    Palette("zhengwu-red", "政务红", main="#b3121b", dark="#8c0e15", accent="#f2a900"),
    Palette("zhengwu-blue", "政务蓝", main="#0b4ea2", dark="#083a78", accent="#f2a900"),
    Palette("qingdai", "青黛", main="#1d5f6e", dark="#14444f", accent="#f2a900"),
    Palette("zhusha", "朱砂", main="#a8322d", dark="#7d2420", accent="#f2c14e"),
)
DEFAULT_PALETTE = PALETTES[0].key
PALETTE_CHOICES = [(p.key, p.label) for p in PALETTES]


def get_palette(key):
    return next((p for p in PALETTES if p.key == key), PALETTES[0])
