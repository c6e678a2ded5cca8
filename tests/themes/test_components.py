"""The pattern library: every component renders from its example context, and only in development."""

from pathlib import Path

import pytest
from django.template.loader import render_to_string

import themes
from tests.themes.htmlcheck import problems
from themes.patterns import PATTERNS, render

COMPONENTS = Path(themes.__file__).parent / "templates" / "themes" / "components"


def test_every_component_has_an_example():
    on_disk = {path.stem for path in COMPONENTS.glob("*.html")}
    assert on_disk == {pattern.name for pattern in PATTERNS}


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_component_renders_well_formed_from_its_example(pattern):
    html = render(pattern)
    assert html.strip(), f"{pattern.name} rendered nothing from its example"
    assert problems(html) == []


def by_name(name):
    pattern = next(p for p in PATTERNS if p.name == name)
    return pattern, render(pattern)


def test_examples_show_what_the_components_promise():
    _, notice = by_name("notice-box")
    assert 'class="notice notice--warning" role="note"' in notice
    assert '<a href="/xxgk/zcwj/new/">查看现行文件</a>' in notice
    _, pagination = by_name("pagination")
    assert 'aria-label="分页"' in pagination and 'aria-current="page">5</a>' in pagination
    assert 'rel="prev"' in pagination and 'rel="next"' in pagination
    _, listing = by_name("list")
    assert '<time datetime="2026-03-10T15:05:00+08:00">2026-03-10 15:05</time>' in listing
    _, attachments = by_name("attachment-list")
    assert "（PDF，471.0\xa0KB）" in attachments and "（DOCX）" in attachments
    _, toggle = by_name("elder-toggle")
    assert '<button class="elder-toggle js-only" type="button" aria-pressed="false"' in toggle
    _, meta = by_name("meta-tags")
    assert '<meta name="PubDate" content="2026-03-12 09:30">' in meta


def test_notice_box_defaults_to_info_without_a_link():
    pattern, _ = by_name("notice-box")
    html = render_to_string(pattern.template, {"text": "本栏目内容每月更新。"})
    assert "notice--info" in html and "提示：" in html and "<a " not in html


def test_pagination_renders_nothing_for_a_single_page():
    pattern, _ = by_name("pagination")
    assert render_to_string(pattern.template, {"pager": None}).strip() == ""


def test_pattern_library_is_served_only_in_debug(county, settings):
    assert county.client().get("/_patterns/").status_code == 404
    settings.DEBUG = True
    response = county.client().get("/_patterns/")
    assert response.status_code == 200
    body = response.content.decode()
    for pattern in PATTERNS:
        assert f'id="pattern-{pattern.name}"' in body


def test_article_meta_of_a_page_never_published_has_no_empty_time():
    pattern, _ = by_name("article-meta")
    html = render_to_string(pattern.template, {"date": None, "source": "锦江区融媒体中心"})
    assert "发布时间" not in html and "<time" not in html and "来源：锦江区融媒体中心" in html
