"""Every colour pairing the theme uses meets WCAG 2.1 contrast, for every approved scheme, in both modes.

Adding a scheme to themes/palettes.py that fails any pairing fails this file. The
stylesheet may only use the roles checked here, and may write no colour of its own.
"""

import re
from pathlib import Path

import pytest

import themes
from themes.palettes import PALETTES, Palette, colour_roles, css_variables

SITE_CSS = Path(themes.__file__).parent / "static" / "themes" / "css" / "site.css"

# (foreground, background): every place site.css puts text of one role on another.
TEXT_PAIRS = [
    ("white", "main"),  # masthead, sub-column title, current page number, current nav item
    ("white", "dark"),  # navigation bar, footer, buttons, pressed toggles
    ("main", "white"),  # section titles, column titles, the lead headline, list bullets
    ("dark", "white"),  # links, toggles and notice labels
    ("ink", "white"),  # body text, list titles
    ("ink", "surface"),  # utility bar, summaries, attachments, quick-link panels
    ("muted", "white"),  # dates, breadcrumbs, pagination summary
    ("muted", "surface"),  # welcome line, quick-link blurbs, attachment sizes
    ("main", "surface"),  # quick-link titles, hovered sub-columns
    ("dark", "surface"),  # links and hovered toggles on panels
    ("ink", "notice"),  # warning notices
    ("dark", "notice"),  # labels and links of warning notices
    ("ink", "accent"),  # a focused link, the skip link
]
# Non-text (WCAG 1.4.11, 3:1): the focus highlight against the bars it can sit on.
FOCUS_PAIRS = [("accent", "main"), ("accent", "dark")]
NORMAL_TEXT, ELDER_TEXT, NON_TEXT = 4.5, 7.0, 3.0
# Roles that never carry meaning against their background: hairlines between list items.
DECORATIVE = {"line"}


def luminance(colour):
    """Relative luminance of an sRGB colour, as WCAG 2.1 defines it."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def failures(palette):
    """Every pairing of `palette` below its threshold, described; empty when the scheme is fit."""
    found = []
    for elder, text_minimum in ((False, NORMAL_TEXT), (True, ELDER_TEXT)):
        roles = colour_roles(palette, elder=elder)
        mode = "elder" if elder else "normal"
        for pairs, minimum in ((TEXT_PAIRS, text_minimum), (FOCUS_PAIRS, NON_TEXT)):
            for fg, bg in pairs:
                ratio = contrast(roles[fg], roles[bg])
                if ratio < minimum:
                    found.append(f"{palette.key} {mode}: {fg} on {bg} is {ratio:.2f}:1, needs {minimum}:1")
    return found


def test_contrast_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#595959", "#ffffff") == pytest.approx(7.0, abs=0.01)


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.key)
def test_every_approved_scheme_passes_every_pairing(palette):
    assert failures(palette) == []


def test_a_low_contrast_scheme_would_be_refused():
    pale = Palette("pale", "浅粉", main="#e88a8a", dark="#c05050", accent="#f2a900")
    found = failures(pale)
    assert any("normal: white on main" in f for f in found)
    assert any("elder: white on dark" in f for f in found)


def test_elder_mode_rebinds_main_to_the_darker_shade_and_secondary_text_to_full_ink():
    palette = PALETTES[0]
    elder = colour_roles(palette, elder=True)
    assert elder["main"] == palette.dark
    assert elder["muted"] == elder["ink"]
    assert f"html.elder{{--main:{palette.dark};" in css_variables(palette)


def test_the_stylesheet_writes_no_colour_and_uses_only_checked_roles():
    css = re.sub(r"/\*.*?\*/", "", SITE_CSS.read_text(), flags=re.S)
    literals = re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(", css)
    assert literals == [], "site.css must take colours from themes/palettes.py"
    used = set(re.findall(r"var\(--([\w-]+)\)", css))
    checked = {role for pair in TEXT_PAIRS + FOCUS_PAIRS for role in pair} | DECORATIVE
    assert used <= checked, f"roles used but never contrast-checked: {used - checked}"


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.key)
def test_every_scheme_defines_every_role_the_stylesheet_uses(palette):
    css = SITE_CSS.read_text()
    inline = css_variables(palette)
    for role in set(re.findall(r"var\(--([\w-]+)\)", css)):
        assert f"--{role}:" in inline
