"""The approved colour schemes. A site picks one; nothing else about the look is per site.

Each scheme has one main colour (the national design rule: one main colour, at most
three in all): `main`, a darker shade of it, and an accent that only ever marks
focus. Every other colour of the theme is a neutral shared by all schemes.

This module is the only place colours are written down: the stylesheet uses CSS
custom properties only, and `css_variables()` emits their values, for normal and
for elder mode, in a small inline <style> of the base layout. So the pairings that
tests/themes/test_palettes.py checks (WCAG 2.1: 4.5:1 normally, 7:1 in elder mode)
are exactly the colours visitors get.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    key: str
    label: str
    main: str  # header band, section titles, headings; white text sits on it
    dark: str  # navigation bar, footer, buttons, links; white text sits on it
    accent: str  # focus highlight (never carries text of its own; ink sits on it when focused)


PALETTES = (
    Palette("zhengwu-red", "政务红", main="#b3121b", dark="#8c0e15", accent="#f2a900"),
    Palette("zhengwu-blue", "政务蓝", main="#0b4ea2", dark="#083a78", accent="#f2a900"),
    Palette("qingdai", "青黛", main="#1d5f6e", dark="#14444f", accent="#f2a900"),
    Palette("zhusha", "朱砂", main="#a8322d", dark="#7d2420", accent="#f2c14e"),
)
DEFAULT_PALETTE = PALETTES[0].key
PALETTE_CHOICES = [(p.key, p.label) for p in PALETTES]

# The neutrals every scheme shares. `line` is decorative only: no control relies on it.
NEUTRALS = {
    "white": "#ffffff",
    "ink": "#1f2329",  # body text
    "muted": "#5c6470",  # dates, secondary text
    "surface": "#f4f5f7",  # panels, the utility bar
    "line": "#dcdfe4",  # hairlines between list items
    "notice": "#fff4d6",  # background of warning notices (e.g. a repealed policy)
}
# Elder mode (长者模式) asks for 7:1: secondary text becomes full ink, and everything drawn
# in the main colour is drawn in its darker shade instead.
ELDER_INK = "#000000"


def get_palette(key):
    return next((p for p in PALETTES if p.key == key), PALETTES[0])


def colour_roles(palette, *, elder=False):
    """Role -> colour as the theme applies it (the custom properties of site.css)."""
    roles = {"main": palette.main, "dark": palette.dark, "accent": palette.accent, **NEUTRALS}
    if elder:
        roles |= {"main": palette.dark, "ink": ELDER_INK, "muted": ELDER_INK}
    return roles


def css_variables(palette):
    """The inline stylesheet of a site: its colours for normal mode and for `html.elder`.

    Elder mode only rebinds the roles that change, so the rule stays short.
    """
    normal = colour_roles(palette)
    elder = colour_roles(palette, elder=True)
    changed = {role: value for role, value in elder.items() if normal[role] != value}

    def declarations(roles):
        return ";".join(f"--{role}:{value}" for role, value in roles.items())

    return f":root{{{declarations(normal)}}}html.elder{{{declarations(changed)}}}"
