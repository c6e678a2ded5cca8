"""Tags that turn pages and site records into the plain data the theme's components take.

They live with the columns because they read columns' pages and settings; the theme
(themes/) knows no content model. Components (themes/templates/themes/components/) never
query anything and never need a request: they render dicts such as {"title", "url", "date"}. That is what lets the
pattern library render each of them from a small example context (themes/patterns.py),
and it keeps the cost of a page visible here: every query a layout makes is in this
file, and none is made per list item.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings as django_settings
from django.db.models import Q
from wagtail.models import Page, Site

from columns.models import ColumnPage, ColumnType, HomePage, SiteSettings
from themes.palettes import css_variables

register = template.Library()


@dataclass(frozen=True)
class SiteTheme:
    """What the layout shows of the current site: the same bytes for every visitor."""

    name: str  # 锦江区人民政府
    region: list  # ["四川省", "成都市", "锦江区"]
    domain: str  # the site's primary host (SiteDomain)
    code: str  # 网站标识码 (SiteIDCode), from the platform's registry
    settings: SiteSettings
    css: str  # the colour scheme as CSS custom properties
    error_report_url: str = ""  # the national 我为政府网站找错 entry for this site (settings.ERROR_REPORT_URL)
    # An archived site's banner (tenants.actions.archive_site): its text, and the successor's link.
    archive_notice: str = ""
    successor_url: str = ""
    successor_name: str = ""


def _region(tenant):
    """Names from the province down to the site's own region.

    One query per level the first time; the registry row is cached per worker by the
    router, and Django keeps each loaded parent on it, so later requests cost nothing.
    """
    names = []
    while tenant is not None:
        names.append(tenant.name)
        tenant = tenant.parent
    return names[::-1]


@register.simple_tag(takes_context=True)
def site_theme(context):
    """The current site's theme options, with its settings (and logo) in one query.

    Not SiteSettings.for_request: that would create a missing row during a GET and
    fetch the logo in a second query.
    """
    request = context["request"]
    site = Site.find_for_request(request)
    tenant = request.site_tenant
    settings = SiteSettings.objects.select_related("logo").filter(site=site).first()
    if settings is None:
        settings = SiteSettings(site=site, organiser=tenant.display_name)
    return SiteTheme(
        name=site.site_name or tenant.display_name,
        region=_region(tenant),
        domain=site.hostname,
        code=tenant.site_code,
        settings=settings,
        css=css_variables(settings.palette),
        error_report_url=django_settings.ERROR_REPORT_URL.format(site_code=tenant.site_code)
        if django_settings.ERROR_REPORT_URL and tenant.site_code else "",
        **_archive_notice(tenant),
    )


def _archive_notice(tenant):
    if not tenant.is_archived:
        return {}
    notice = {"archive_notice": "本网站已归档，内容仅供查阅，不再更新，也不再受理留言。"}
    successor = tenant.successor if tenant.successor_id else None
    if successor is not None and successor.base_url():
        notice["successor_url"] = successor.base_url() + "/"
        notice["successor_name"] = f"前往{successor.display_name}网站"
    return notice


def _current(page, target):
    """aria-current of a link to `target` while showing `page`: "page" on itself, "true" inside it."""
    if not page:
        return ""
    if page.pk == target.pk:
        return "page"
    return "true" if page.path.startswith(target.path) else ""


@register.simple_tag(takes_context=True)
def nav_items(context, page=None):
    """首页 and the home page's live in-menu children, the one holding `page` marked current.

    Every page is inside the home page, so 首页 is current only on itself.
    """
    request = context["request"]
    root = Site.find_for_request(request).root_page
    home = {"title": "首页", "url": root.get_url(request), "current": "page" if page and page.pk == root.pk else ""}
    return [home] + [
        {"title": column.title, "url": column.get_url(request), "current": _current(page, column)}
        for column in root.get_children().live().in_menu()
    ]


@register.simple_tag(takes_context=True)
def breadcrumb_items(context, page=None, title=""):
    """The trail from 首页 to `page` (or to a view called `title`); the last item is current.

    Wagtail's own root (depth 1) is not part of the site, so the trail starts at the
    home page, always labelled 首页.
    """
    request = context["request"]
    root = Site.find_for_request(request).root_page  # cached on the request, with its root page
    trail = [*page.get_ancestors().filter(depth__gt=1), page] if page else [root]
    items = [
        {"title": "首页" if crumb.depth == 2 else crumb.title, "url": crumb.get_url(request)} for crumb in trail
    ]
    if title:
        items.append({"title": title, "url": request.path})
    return items


@register.simple_tag(takes_context=True)
def link_items(context, pages):
    """List items of `pages` (titles, URLs, publication times) without a query per item."""
    request = context.get("request")
    return [{"title": p.title, "url": p.get_url(request), "date": p.first_published_at} for p in pages]


@register.simple_tag(takes_context=True)
def pager(context, page_obj):
    """Pagination links of a list, or None when everything fits on one page.

    Other query parameters (a search, filters) are kept; page 1 has no ?page=1 (the
    column's own address when nothing else is set); long ranges are elided around
    the current page.
    """
    paginator = page_obj.paginator
    if paginator.num_pages <= 1:
        return None
    request = context["request"]

    def url(number):
        query = request.GET.copy()
        query.pop("page", None)
        if number != 1:
            query["page"] = number
        return f"{request.path}?{query.urlencode()}" if query else request.path

    pages = []
    for number in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            pages.append({"gap": True})
        else:
            pages.append({"number": number, "url": url(number), "current": number == page_obj.number})
    return {
        "pages": pages,
        "number": page_obj.number,
        "num_pages": paginator.num_pages,
        "count": paginator.count,
        "previous_url": url(page_obj.number - 1) if page_obj.has_previous() else "",
        "next_url": url(page_obj.number + 1) if page_obj.has_next() else "",
    }


@register.simple_tag
def attachment_items(page):
    """An article's attachments (name, URL, file type, size): one query with their documents."""
    return [
        {
            "label": attachment.label,
            "url": attachment.document.url,
            "type": attachment.document.file_extension.upper(),
            "size": attachment.document.file_size,
        }
        for attachment in page.attachments.select_related("document")
    ]


@register.simple_tag(takes_context=True)
def neighbour_items(context, page):
    """上一篇 (the next newer item of the same column) and 下一篇 (the next older), in list order."""
    if page.first_published_at is None:  # a preview of an unpublished page has no place in the list
        return {}
    request = context["request"]
    siblings = Page.objects.live().public().sibling_of(page, inclusive=False).not_type(ColumnPage)
    when, pk = page.first_published_at, page.pk
    newer = siblings.filter(Q(first_published_at__gt=when) | Q(first_published_at=when, pk__gt=pk))
    older = siblings.filter(Q(first_published_at__lt=when) | Q(first_published_at=when, pk__lt=pk))
    found = {
        "previous": newer.order_by("first_published_at", "pk").first(),
        "next": older.order_by("-first_published_at", "-pk").first(),
    }
    return {key: {"title": p.title, "url": p.get_url(request)} for key, p in found.items() if p is not None}


def _column_meta(column):
    """ColumnName/Description/Keywords/Type of a column page (or of the home page)."""
    if isinstance(column, HomePage):
        label = ColumnType.HOME.label
        description = column.intro or column.search_description or column.title
        return {"name": label, "type": label, "description": description, "keywords": column.title}
    label = column.get_column_type_display()
    return {
        "name": column.title,
        "type": label,
        "description": column.description or column.search_description or column.title,
        "keywords": column.title if label == column.title else f"{column.title},{label}",
    }


@register.inclusion_tag("themes/components/meta-tags.html", takes_context=True)
def page_meta_tags(context, page, source=""):
    """Column-level meta tags of any page, plus article-level ones for an item in a column.

    A column (or the home page) describes itself; any other page is an article of its
    parent column, found in one query by its tree path. ContentSource is `source`, else
    the page's own `source` field, else the site itself.
    """
    if not page:
        return {}
    if isinstance(page, HomePage | ColumnPage):
        return {"column": _column_meta(page)}
    column = ColumnPage.objects.filter(path=page.path[: -Page.steplen]).first()
    article = {
        "title": page.title,
        "date": page.first_published_at,
        "source": source or getattr(page, "source", "") or context["theme"].name,
    }
    return {"column": _column_meta(column) if column else None, "article": article}


QUICK_LINK_BLURBS = {"services": "办事指南、在线办理和办事咨询", "interaction": "领导信箱、征集调查和在线访谈"}


@register.simple_tag(takes_context=True)
def quick_link_groups(context, quick_links):
    """The home page's 办事服务 / 互动交流 panels (see HomePage.get_context's quick_links)."""
    request = context["request"]
    return [
        {
            "key": key,
            "title": group["column"].title,
            "url": group["column"].get_url(request),
            "blurb": group["column"].description or QUICK_LINK_BLURBS[key],
            "items": link_items(context, group["items"]),
        }
        for key, group in quick_links.items()
    ]


@register.simple_tag(takes_context=True)
def headline_items(context, headlines):
    """The home banner: the lead headline (with its picture and summary) and the rest as a list."""
    request = context["request"]
    items = [
        {
            "title": article.title,
            "url": article.get_url(request),
            "date": article.first_published_at,
            "summary": article.summary,
            "image": article.feature_image,
        }
        for article in headlines
    ]
    return {"lead": items[0], "items": items[1:]} if items else None
