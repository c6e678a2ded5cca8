"""The theme as a citizen meets it in Chromium: home → column → article, 长者模式, axe in both modes.

The live gunicorn sees committed data only, so `content` commits a realistic column
(a headline with a picture, enough news for two pages, sub-columns, an attachment) on
锦江区 for this module and removes it afterwards.
"""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import expect

from columns.models import ArticleAttachment, ColumnPage
from tests.factories import ArticleFactory, ColumnFactory, DocumentFactory, ImageFactory

pytestmark = pytest.mark.browser

HEADLINE = "锦江区召开2026年全区经济工作会议"
NEWS = [
    "锦江区启动“一网通办”便民服务月活动", "锦江区部署防汛减灾工作", "锦江区举办就业援助专场招聘会",
    "锦江区推进城乡社区治理工作", "锦江区召开优化营商环境推进会", "锦江区开展安全生产大检查",
    "春熙路街道新增 3 处社区养老服务点", "锦江区 12345 热线一季度办理情况通报",
]
NOTICES = ["关于2026年公开招聘事业单位工作人员的公告", "关于开展安全生产大检查的通知", "关于春节期间政务服务安排的通知"]
SUB_COLUMNS = {"bsfw": ["个人办事", "法人办事", "部门服务"], "hdjl": ["领导信箱", "征集调查", "在线访谈"]}
BODY = "".join(
    f"<p>{text}</p>" for text in (
        "3月12日上午，锦江区召开2026年全区经济工作会议，总结去年经济工作，分析当前形势，部署今年重点任务。",
        "会议指出，过去一年全区经济运行稳中有进，重点项目加快建设，营商环境持续优化，民生保障更加有力。",
        "会议要求，各部门要坚持稳中求进工作总基调，抓项目、优服务、惠民生，确保全年目标任务圆满完成。",
    )
)


def banner_picture():
    """A calm city skyline (generated: the tests ship no photographs)."""
    width, height = 1600, 900
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(96 + 120 * t), int(150 + 80 * t), int(214 + 30 * t)))
    draw.ellipse((1180, 140, 1320, 280), fill=(255, 236, 190))
    skyline = [(0, 520), (120, 430), (200, 560), (300, 360), (380, 470), (470, 300), (560, 450), (650, 390),
               (760, 250), (840, 420), (930, 340), (1040, 480), (1130, 380), (1240, 520), (1360, 410), (1480, 500)]
    for (x, top), (next_x, _) in zip(skyline, [*skyline[1:], (width, 0)], strict=True):
        draw.rectangle((x, top, next_x - 12, height), fill=(44, 62, 92))
        for wy in range(top + 24, height - 140, 36):
            for wx in range(x + 14, next_x - 30, 26):
                draw.rectangle((wx, wy, wx + 10, wy + 16), fill=(238, 214, 140))
    draw.rectangle((0, height - 130, width, height), fill=(58, 110, 150))
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="jinjiang-meeting.jpg")


@pytest.fixture(scope="module")
def content(fixture_sites, django_db_blocker):
    """Commit the module's pages on 锦江区; yield the article's path; delete everything afterwards.

    Whatever was made is deleted even if making the rest failed: the test database outlives the module.
    """
    county = fixture_sites["county"]
    made, now = [], timezone.now()

    def article(column, title, age, **fields):
        page = ArticleFactory(
            parent=column, title=title, slug=f"theme-{len(made)}", first_published_at=now - age, revision=False,
            **{"source": "锦江区融媒体中心", "body": "", **fields},
        )
        made.append(page)
        return page

    try:
        with django_db_blocker.unblock(), schema_context(county.schema):
            columns = {c.slug: c for c in ColumnPage.objects.filter(slug__in=["xwdt", "tzgg", "bsfw", "hdjl"])}
            for parent, titles in SUB_COLUMNS.items():
                for n, title in enumerate(titles):
                    made.append(ColumnFactory(
                        parent=columns[parent], title=title, slug=f"theme-{parent}-{n}", column_type="other",
                        show_in_menus=True, revision=False,
                    ))
            picture = ImageFactory(title="全区经济工作会议会场", file=banner_picture())
            made.append(picture)
            document = DocumentFactory(
                title="2026年重点项目清单", filename="projects.pdf", content=b"%PDF-1.4 demo", file_size=482_304
            )
            made.append(document)
            for n in range(24):
                article(columns["xwdt"], NEWS[n % len(NEWS)], timedelta(days=2 + n, hours=n))
            for n, title in enumerate(NOTICES):
                article(columns["tzgg"], title, timedelta(days=1 + 3 * n), source="锦江区人民政府办公室")
            headline = article(
                columns["xwdt"], HEADLINE, timedelta(hours=3), is_headline=True, feature_image=picture,
                author="李明", summary="会议总结了2025年经济工作，部署2026年重点任务，要求抓项目、优服务、惠民生。",
                body=BODY,
            )
            ArticleAttachment.objects.create(page=headline, document=document)
        connection.set_schema_to_public()
        yield headline.url_path.removeprefix("/home")  # the skeleton's home page slug
    finally:
        with django_db_blocker.unblock(), schema_context(county.schema):
            for thing in reversed(made):
                thing.delete()
        connection.set_schema_to_public()


def font_size(page, selector="body"):
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def is_elder(page):
    return page.evaluate("document.documentElement.classList.contains('elder')")


def test_citizen_goes_from_home_to_a_column_to_an_article(fixture_sites, site_url, page, content):
    county = fixture_sites["county"]
    page.goto(site_url(county.host))
    banner = page.locator(".headlines")
    expect(banner.get_by_role("link", name=HEADLINE)).to_be_visible()
    assert banner.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")

    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="新闻动态", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新闻动态")
    pagination = page.get_by_role("navigation", name="分页")
    expect(pagination.locator('[aria-current="page"]')).to_have_text("1")
    pagination.get_by_role("link", name="第 2 页").click()
    expect(pagination.locator('[aria-current="page"]')).to_have_text("2")
    pagination.get_by_role("link", name="上一页").click()

    page.locator("main").get_by_role("link", name=HEADLINE).click()
    expect(page).to_have_url(site_url(county.host, content))
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(page.locator(".article-meta")).to_contain_text("来源：锦江区融媒体中心")
    expect(page.get_by_role("navigation", name="当前位置")).to_contain_text("首页")
    expect(page.get_by_role("link", name="2026年重点项目清单")).to_be_visible()
    read_aloud = page.locator("[data-read-aloud]")
    speech = page.evaluate("'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function'")
    if speech:
        expect(read_aloud).to_be_visible()
        expect(read_aloud).to_have_attribute("aria-pressed", "false")
    else:
        expect(read_aloud).to_be_hidden()


def test_elder_mode_by_keyboard_persists_across_pages_and_reloads(fixture_sites, site_url, page, content):
    county = fixture_sites["county"]
    page.goto(site_url(county.host))
    assert font_size(page) == 16 and not is_elder(page)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Tab")
    toggle = page.get_by_role("button", name="长者模式")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert is_elder(page)
    assert font_size(page) == 20, "body text is at least 20px (1.25 × 16px)"
    assert page.evaluate("localStorage.getItem('govsite-elder')") == "1"
    line_height = page.eval_on_selector("body", "e => parseFloat(getComputedStyle(e).lineHeight)")
    assert line_height >= 1.5 * 20
    assert "cursors/arrow.svg" in page.eval_on_selector("body", "e => getComputedStyle(e).cursor")
    assert "cursors/pointer.svg" in page.eval_on_selector(".site-nav a", "e => getComputedStyle(e).cursor")

    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="新闻动态", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新闻动态")
    assert is_elder(page)
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")
    page.goto(site_url(county.host, content))
    assert is_elder(page) and font_size(page, ".rich-text") > 20
    page.reload()
    assert is_elder(page)

    page.get_by_role("button", name="长者模式").click()
    assert not is_elder(page) and font_size(page) == 16
    page.reload()
    assert not is_elder(page)
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "false")


FAKE_SPEECH = """
window.spoken = [];
window.cancelled = 0;
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  getVoices: () => [],
  speak: utterance => window.spoken.push({text: utterance.text, lang: utterance.lang}),
  cancel: () => { window.cancelled += 1; },
}});
"""


def test_read_aloud_reads_the_article_in_chinese(fixture_sites, site_url, page, content):
    """With speech synthesis stubbed (no sound in CI): what is read, in which language, and the toggle's state."""
    page.add_init_script(FAKE_SPEECH)
    page.goto(site_url(fixture_sites["county"].host, content))
    button = page.get_by_role("button", name="朗读全文")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    spoken = page.evaluate("window.spoken")
    assert spoken and {part["lang"] for part in spoken} == {"zh-CN"}
    assert all(len(part["text"]) <= 200 for part in spoken)
    text = "".join(part["text"] for part in spoken)
    assert text.startswith(HEADLINE) and "会议指出" in text and "朗读全文" not in text
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.cancelled") == 1


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_every_theme_page_passes_axe_in_both_modes(fixture_sites, audit_pages, content, mode):
    pages = {"home": "/", "column": "/xwdt/", "services": "/bsfw/", "article": content, "sitemap": "/sitemap/"}
    audit_pages(fixture_sites["county"].host, pages, mode, "theme")


def test_home_on_a_phone(fixture_sites, site_url, page, axe, screenshot, content):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url(fixture_sites["county"].host))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing scrolls sideways"
    axe(page)
    screenshot(page, "theme-home-mobile")
