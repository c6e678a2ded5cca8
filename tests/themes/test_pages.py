"""The layout as served: meta tags, statutory footer, elder-mode hooks, cacheability, pagination, cost."""

import re
from datetime import datetime, timedelta
from html import unescape
from io import BytesIO
from zoneinfo import ZoneInfo

import factory
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PILImage

from columns.models import ArticleAttachment, ArticlePage, SiteSettings
from tests.factories import ArticleFactory, DocumentFactory, ImageFactory, column
from tests.themes.htmlcheck import problems
from themes.palettes import get_palette

STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def meta(html, name):
    found = re.findall(rf'<meta name="{name}" content="([^"]*)">', html)
    assert len(found) == 1, f"{name}: {found}"
    return unescape(found[0])


def get(site, path="/", **extra):
    response = site.client().get(path, **extra)
    assert response.status_code == 200, path
    return response.content.decode()


class ShownArticleFactory(ArticleFactory):
    """A live article (in 新闻动态 unless `parent=`), with no revision: what pages render is all these tests need.

    First published now unless told; its slug is t-<n>, the site's n-th article (a test's first is t-1).
    """

    class Params:
        revision = False

    slug = factory.LazyFunction(lambda: f"t-{ArticlePage.objects.count() + 1}")
    first_published_at = factory.LazyFunction(timezone.now)


def png(width=1200, height=675):
    buffer = BytesIO()
    PILImage.new("RGB", (width, height), (40, 90, 160)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="picture.png")


@pytest.fixture
def article(county):
    """An article of 锦江区 新闻动态 with everything the page shows, published at a known time."""
    with schema_context(county.schema):
        page = ShownArticleFactory(
            title="锦江区召开优化营商环境推进会", source="锦江区融媒体中心", author="张三",
            summary="会议部署下一阶段改革任务。", body="<p>会议指出，要持续优化营商环境。</p>",
            first_published_at=datetime(2026, 3, 12, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        )
        # file_size as the admin's upload form records it
        document = DocumentFactory(title="重点项目清单", filename="list.pdf", content=b"%PDF-1.4 demo",
                                   file_size=482_304)
        ArticleAttachment.objects.create(page=page, document=document, title="2026年重点项目清单")
    return page


def test_site_level_meta_tags_on_every_page(county, article):
    for path in ("/", "/xwdt/", "/xwdt/t-1/", "/sitemap/"):
        html = get(county, path)
        assert meta(html, "SiteName") == "锦江区人民政府"
        assert meta(html, "SiteDomain") == county.host
        assert meta(html, "SiteIDCode") == "5101040001"


def test_home_page_is_the_home_column(county):
    html = get(county)
    assert meta(html, "ColumnName") == "首页"
    assert meta(html, "ColumnType") == "首页"
    assert meta(html, "ColumnDescription") and meta(html, "ColumnKeywords")
    assert 'name="ArticleTitle"' not in html
    assert "<title>锦江区人民政府</title>" in html


def test_column_page_meta_tags(county):
    html = get(county, "/xwdt/")
    assert meta(html, "ColumnName") == "新闻动态"
    assert meta(html, "ColumnType") == "新闻动态"
    assert meta(html, "ColumnDescription") == "新闻动态"
    assert meta(html, "ColumnKeywords") == "新闻动态"
    assert "<title>新闻动态 - 锦江区人民政府</title>" in html
    html = get(county, "/xxgk/")
    assert meta(html, "ColumnType") == "政府信息公开"
    assert meta(html, "ColumnKeywords") == "信息公开,政府信息公开"


def test_article_page_meta_tags_and_displayed_times(county, article):
    html = get(county, "/xwdt/t-1/")
    assert meta(html, "ColumnName") == "新闻动态"
    assert meta(html, "ArticleTitle") == "锦江区召开优化营商环境推进会"
    assert meta(html, "PubDate") == "2026-03-12 09:30"
    assert STAMP.match(meta(html, "PubDate"))
    assert meta(html, "ContentSource") == "锦江区融媒体中心"
    assert '<time datetime="2026-03-12T09:30:00+08:00">2026-03-12 09:30</time>' in html
    assert "来源：锦江区融媒体中心" in html and "作者：张三" in html and "摘要：" in html
    assert 'data-read-aloud="article-text"' in html and 'id="article-text"' in html
    assert '<a href="/documents/' in html and "2026年重点项目清单" in html and "（PDF，471.0\xa0KB）" in html


def test_article_without_source_names_the_site_as_content_source(county):
    with schema_context(county.schema):
        ShownArticleFactory(parent=column("tzgg"), title="关于春节期间政务服务安排的通知")
    assert meta(get(county, "/tzgg/t-1/"), "ContentSource") == "锦江区人民政府"


def test_lists_show_times_as_yyyy_mm_dd_hh_mm(county, article):
    for path in ("/", "/xwdt/"):
        times = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", get(county, path))
        assert times and all(STAMP.match(t) for t in times), times


def test_layout_landmarks_and_well_formed_html(county, article):
    for path in ("/", "/xwdt/", "/xwdt/t-1/", "/sitemap/"):
        html = get(county, path)
        # The page's id is on <html> for the page-view beacon; the site map is no page of the tree.
        page_id = "" if path == "/sitemap/" else r' data-page-id="\d+"'
        assert re.match(rf'<!DOCTYPE html>\n<html lang="zh-CN"{page_id}>\n', html), path
        assert problems(html) == [], path
        assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
        assert html.count("<main") == 1 and 'id="main"' in html
        assert '<nav class="site-nav" aria-label="栏目导航">' in html
        assert '<form class="search-box" role="search" action="/search/" method="get">' in html
        assert '<label class="visually-hidden" for="site-search">搜索本站</label>' in html
        assert 'aria-pressed="false" data-elder-toggle>' in html
    assert 'aria-label="当前位置"' in get(county, "/xwdt/t-1/")
    assert 'aria-label="当前位置"' not in get(county, "/")


def test_navigation_marks_the_current_column(county, article):
    html = get(county, "/xwdt/")
    assert '<a href="/xwdt/" aria-current="page">新闻动态</a>' in html
    html = get(county, "/xwdt/t-1/")
    assert '<a href="/xwdt/" aria-current="true">新闻动态</a>' in html
    assert '<a href="/" aria-current="page">首页</a>' in get(county)


def test_elder_mode_is_applied_before_the_stylesheet_loads(county):
    html = get(county)
    head = html[: html.index("</head>")]
    assert head.index('localStorage.getItem("govsite-elder")') < head.index('rel="stylesheet"')
    assert '<script src="/static/themes/js/elder.js" defer></script>' in head


def test_footer_carries_the_statutory_furniture(county):
    with schema_context(county.schema):
        SiteSettings.objects.update(
            undertaker="锦江区大数据中心", icp_number="蜀ICP备12345678号", police_number="川公网安备 51010402000001号",
            contact_phone="028-86660000", contact_email="web@jinjiang.gov.cn", contact_address="工农院街 1 号",
        )
    footer = get(county).split('<footer class="site-footer">')[1]
    assert "主办单位：锦江区人民政府办公室" in footer
    assert "承办单位：锦江区大数据中心" in footer
    assert "网站标识码：5101040001" in footer
    assert '<a href="https://beian.miit.gov.cn/">蜀ICP备12345678号</a>' in footer
    assert "川公网安备 51010402000001号" in footer
    assert "联系电话：028-86660000" in footer and "mailto:web@jinjiang.gov.cn" in footer and "工农院街 1 号" in footer
    assert '<a href="/sitemap/">网站地图</a>' in footer
    assert 'role="img" aria-label="党政机关网站标识（占位）"' in footer


def test_optional_furniture_is_left_out_when_unset(county):
    footer = get(county).split('<footer class="site-footer">')[1]
    assert "承办单位" not in footer and "beian.miit.gov.cn" not in footer and "联系电话" not in footer


def test_colour_scheme_and_logo_come_from_site_settings(county):
    with schema_context(county.schema):
        logo = ImageFactory(title="锦江区标志", file=png(320, 320))
        SiteSettings.objects.update(colour_scheme="zhengwu-blue", logo=logo)
    html = get(county)
    blue = get_palette("zhengwu-blue")
    assert f"<style>:root{{--main:{blue.main};--dark:{blue.dark};" in html
    assert re.search(r'<a class="site-name" href="/"><img [^>]*alt=""[^>]*class="site-logo"', html) or re.search(
        r'<a class="site-name" href="/"><img [^>]*class="site-logo"[^>]*alt=""', html
    )


def test_home_headline_picture_is_responsive(county):
    with schema_context(county.schema):
        picture = ImageFactory(title="会场", file=png())
        ShownArticleFactory(title="锦江区召开全区经济工作会议", is_headline=True, feature_image=picture,
                            summary="会议部署工作。")
    html = get(county)
    img = re.search(r'<div class="headlines__picture">(<img [^>]+>)</div>', html).group(1)
    assert 'width="480"' in img and 'height="270"' in img
    assert "srcset=" in img and " 800w" in img and " 1200w" in img and 'sizes="' in img
    assert 'alt="会场"' in img


def test_the_same_bytes_for_every_visitor_and_nothing_that_defeats_a_cache(county, article):
    anonymous = county.client().get("/xwdt/t-1/")
    returning = county.client()
    returning.cookies["sessionid"] = "not-a-session"
    with_cookie = returning.get("/xwdt/t-1/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    editor = county.admin_client().get("/xwdt/t-1/")
    for response in (anonymous, with_cookie, editor):
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers and not response.cookies
        assert "cookie" not in response.headers.get("Vary", "").lower()
        assert "csrfmiddlewaretoken" not in response.content.decode()
    assert anonymous.content == with_cookie.content == editor.content


@pytest.fixture
def many_articles(county):
    start = timezone.now() - timedelta(days=100)
    with schema_context(county.schema):
        for n in range(45):
            ShownArticleFactory(title=f"动态 {n:02d}", first_published_at=start + timedelta(hours=n))


def current_page(html):
    return re.search(r'aria-label="第 (\d+) 页" aria-current="page"', html).group(1)


def test_pagination_of_a_long_column(county, many_articles):
    html = get(county, "/xwdt/?page=2")
    assert current_page(html) == "2"
    assert "共 45 条，第 2/3 页" in html
    assert '<a href="/xwdt/" rel="prev">上一页</a>' in html
    assert '<a href="/xwdt/?page=3" rel="next">下一页</a>' in html
    assert html.count("<li><a href=\"/xwdt/t-") == 20
    first = get(county, "/xwdt/")
    assert current_page(first) == "1" and "上一页" not in first and 'href="/xwdt/?page=1"' not in first


@pytest.mark.parametrize(("asked", "shown"), [("abc", "1"), ("0", "3"), ("999", "3"), ("-1", "3"), ("", "1")])
def test_bad_page_numbers_show_a_real_page(county, many_articles, asked, shown):
    assert current_page(get(county, f"/xwdt/?page={asked}")) == shown


def test_a_column_that_fits_on_one_page_has_no_pagination(county, article):
    html = get(county, "/xwdt/")
    assert 'aria-label="分页"' not in html
    assert "本栏目暂无信息" in get(county, "/tzgg/")
    assert "本栏目的信息发布在各子栏目中" in get(county, "/xxgk/"), "a column of sub-columns is not empty"


def test_long_ranges_are_elided(county):
    start = timezone.now() - timedelta(days=400)
    with schema_context(county.schema):
        for n in range(20 * 12):
            ShownArticleFactory(parent=column("tzgg"), title=f"通知 {n}", first_published_at=start + timedelta(hours=n))
    html = get(county, "/tzgg/?page=6")
    numbers = re.findall(r'aria-label="第 (\d+) 页"', html)
    assert numbers == ["1", "4", "5", "6", "7", "8", "12"]
    assert html.count('<span class="pagination__gap">…</span>') == 2


def queries(site, path):
    client = site.client()
    client.get(path)  # warm per-process caches, as a running server has them
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_column_and_article_pages_cost_the_same_however_long_the_list(county):
    with schema_context(county.schema):
        ShownArticleFactory(title="第一篇")
    one = queries(county, "/xwdt/"), queries(county, "/xwdt/t-1/")
    with schema_context(county.schema):
        for n in range(30):
            ShownArticleFactory(title=f"动态 {n}")
    many = queries(county, "/xwdt/"), queries(county, "/xwdt/t-1/")
    assert many == one


def test_public_pages_do_not_vary_by_browser_language(county):
    """One cached copy per URL: the page is Chinese whatever the browser asks for."""
    chinese = county.client().get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    english = county.client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Accept-Language" not in chinese.get("Vary", "")
    assert chinese.content == english.content


def test_every_site_carries_the_national_error_report_entry_with_its_code(fixture_sites, db):
    for fixture in fixture_sites.values():
        body = fixture.client().get("/").content.decode()
        assert "我为政府网站找错" in body, fixture.host
        assert f"errorInfo_querySiteInfo.action?sitecode={fixture.site.site_code}" in body, fixture.host
