"""The pattern library: every component of the theme with a small example context.

Components are plain templates that take plain data, so each renders here without a
database or a request. /_patterns/ (DEBUG only) shows them all; tests/themes renders
every one from its example, so a component that cannot render from its documented
context fails the suite. A new component gets an entry here in the same commit.
"""

from dataclasses import dataclass
from datetime import datetime
from pprint import pformat
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import translation

CST = ZoneInfo("Asia/Shanghai")


def _at(day, hour=9, minute=30):
    return datetime(2026, 3, day, hour, minute, tzinfo=CST)


NEWS = [
    {"title": "锦江区召开优化营商环境推进会", "url": "/xwdt/a-1/", "date": _at(12)},
    {"title": "锦江区启动“一网通办”便民服务月活动", "url": "/xwdt/a-2/", "date": _at(10, 15, 5)},
    {"title": "锦江区部署防汛减灾工作", "url": "/xwdt/a-3/", "date": _at(3, 8, 0)},
]
NAV = [
    {"title": "首页", "url": "/", "current": ""},
    {"title": "信息公开", "url": "/xxgk/", "current": ""},
    {"title": "新闻动态", "url": "/xwdt/", "current": "true"},
    {"title": "通知公告", "url": "/tzgg/", "current": ""},
    {"title": "政策解读", "url": "/zcjd/", "current": ""},
    {"title": "办事服务", "url": "/bsfw/", "current": ""},
    {"title": "互动交流", "url": "/hdjl/", "current": ""},
    {"title": "走进锦江", "url": "/zjxx/", "current": ""},
]
SETTINGS = {
    "organiser": "锦江区人民政府办公室",
    "undertaker": "锦江区大数据中心",
    "contact_phone": "028-86660000",
    "contact_email": "web@jinjiang.gov.cn",
    "contact_address": "成都市锦江区工农院街 1 号",
    "icp_number": "蜀ICP备12345678号",
    "police_number": "川公网安备 51010402000001号",
}


@dataclass(frozen=True)
class Pattern:
    name: str
    template: str
    description: str
    example: dict


def _component(name, description, example):
    return Pattern(name, f"themes/components/{name}.html", description, example)


PATTERNS = (
    _component("header", "页头：长者模式、网站地图、站点名称与地区、站内搜索、栏目导航", {
        "site_name": "锦江区人民政府", "region": ["四川省", "成都市", "锦江区"], "logo": None,
        "home_url": "/", "sitemap_url": "/sitemap/", "nav": NAV,
    }),
    _component("search-box", "站内搜索（GET /search/?q=）", {"query": ""}),
    _component("elder-toggle", "长者模式开关：仅在浏览器端切换，服务器输出不变", {}),
    _component("nav", "栏目导航：当前栏目以 aria-current 标明", {"items": NAV}),
    _component("breadcrumbs", "当前位置", {"items": [
        {"title": "首页", "url": "/"}, {"title": "新闻动态", "url": "/xwdt/"},
        {"title": "锦江区召开优化营商环境推进会", "url": "/xwdt/a-1/"},
    ]}),
    _component("footer", "页脚：主办、承办、联系方式、网站标识码、备案号、网站地图、我为政府网站找错、党政机关标识位", {
        "settings": SETTINGS, "site_code": "5101040001", "sitemap_url": "/sitemap/", "feed_url": "/rss.xml",
        "error_report_url": "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=5101040001",
    }),
    _component("correction-link", "本页纠错入口：打开本站纠错表单，带上本页地址", {
        "url": "/xwdt/a-1/", "form_url": "/jiucuo/",
    }),
    _component("mark-slot", "党政机关网站标识占位（不得复制官方标识）", {}),
    _component("list", "信息列表：标题与发布时间（YYYY-MM-DD HH:MM）", {"items": NEWS}),
    _component("column-block", "首页栏目区块", {
        "block_id": "example", "title": "新闻动态", "url": "/xwdt/", "items": NEWS,
    }),
    _component("headline-banner", "首页要闻：头条（有题图时显示图片）与其他要闻", {"banner": {
        "lead": {"title": "锦江区召开全区经济工作会议", "url": "/xwdt/a-0/", "date": _at(13),
                 "summary": "会议总结了去年经济工作，部署今年重点任务。", "image": None},
        "items": NEWS,
    }}),
    _component("quick-links", "首页办事服务与互动交流入口", {"groups": [
        {"key": "services", "title": "办事服务", "url": "/bsfw/", "blurb": "办事指南、在线办理和办事咨询",
         "items": [{"title": "个人办事", "url": "/bsfw/grbs/"}, {"title": "法人办事", "url": "/bsfw/frbs/"}]},
        {"key": "interaction", "title": "互动交流", "url": "/hdjl/", "blurb": "领导信箱、征集调查和在线访谈",
         "items": []},
    ]}),
    _component("subnav", "栏目页的子栏目", {"title": "信息公开", "items": [
        {"title": "政策文件", "url": "/xxgk/zcwj/"}, {"title": "规划计划", "url": "/xxgk/ghjh/"},
    ]}),
    _component("pagination", "分页：仅一页时不显示", {"pager": {
        "pages": [
            {"number": 1, "url": "/xwdt/", "current": False}, {"gap": True},
            {"number": 4, "url": "/xwdt/?page=4", "current": False},
            {"number": 5, "url": "/xwdt/?page=5", "current": True},
            {"number": 6, "url": "/xwdt/?page=6", "current": False}, {"gap": True},
            {"number": 12, "url": "/xwdt/?page=12", "current": False},
        ],
        "number": 5, "num_pages": 12, "count": 231, "previous_url": "/xwdt/?page=4", "next_url": "/xwdt/?page=6",
    }}),
    _component("article-meta", "文章发布时间、来源、作者", {
        "date": _at(12), "source": "锦江区融媒体中心", "author": "张三",
    }),
    _component("read-aloud", "朗读全文（浏览器不支持语音合成时隐藏）", {"target": "article-text"}),
    _component("attachment-list", "附件：名称、类型、大小", {"items": [
        {"label": "2026年重点项目清单", "url": "/documents/1/list.pdf", "type": "PDF", "size": 482_304},
        {"label": "申报表", "url": "/documents/2/form.docx", "type": "DOCX", "size": None},
    ]}),
    _component("neighbours", "上一篇、下一篇", {"neighbours": {
        "previous": {"title": "锦江区召开全区经济工作会议", "url": "/xwdt/a-0/"},
        "next": {"title": "锦江区启动“一网通办”便民服务月活动", "url": "/xwdt/a-2/"},
    }}),
    _component("notice-box", "提示框：level 为 info 或 warning；text；link 与 link_text 可选（如“本文件已废止”）", {
        "level": "warning", "text": "本文件已于 2025-12-31 废止。", "link": "/xxgk/zcwj/new/",
        "link_text": "查看现行文件",
    }),
    _component("column-tree", "网站地图的栏目树", {"nodes": [
        {"title": "信息公开", "url": "/xxgk/", "children": [
            {"title": "政策文件", "url": "/xxgk/zcwj/", "children": []},
        ]},
        {"title": "新闻动态", "url": "/xwdt/", "children": []},
    ]}),
    _component("meta-tags", "栏目级与文章级 meta 标签（PubDate 为 YYYY-MM-DD HH:MM）", {
        "column": {"name": "新闻动态", "description": "锦江区新闻动态", "keywords": "新闻动态", "type": "新闻动态"},
        "article": {"title": "锦江区召开优化营商环境推进会", "date": _at(12), "source": "锦江区融媒体中心"},
    }),
)


@dataclass(frozen=True)
class RenderedPattern:
    pattern: Pattern
    html: str
    context: str


def render(pattern):
    """One component rendered from its example, in Chinese as on every site."""
    with translation.override("zh-hans"):
        return render_to_string(pattern.template, pattern.example)


def render_all():
    return [RenderedPattern(p, render(p), pformat(p.example, width=100, sort_dicts=False)) for p in PATTERNS]
