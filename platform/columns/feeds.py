"""RSS of every column: `<column address>rss.xml` (e.g. /xwdt/rss.xml), and of the whole site: /rss.xml.

A feed lists the newest items anywhere below its column, like the home page's blocks,
so a column made only of sub-columns (信息公开) still has one. Addresses are built on
the request's own host by Django's syndication framework.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from wagtail.models import Page, Site

from .models import ColumnPage, HomePage

FEED_SIZE = 20


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str
    date: datetime
    description: str


@dataclass(frozen=True)
class FeedSource:
    title: str
    url: str
    description: str
    items: list


class ColumnFeed(Feed):
    language = "zh-cn"

    def get_object(self, request, path):
        """The column at `path` on the current site (404 for anything that is not a live public column)."""
        site = Site.find_for_request(request)
        column = (
            Page.objects.live().public().type(HomePage, ColumnPage)
            .filter(url_path=site.root_page.url_path + path).specific().first()
        )
        if column is None:
            raise Http404("没有这个栏目")
        pages = (
            Page.objects.live().public().descendant_of(column).not_type(ColumnPage)
            .order_by("-first_published_at", "-pk").specific()[:FEED_SIZE]
        )
        items = [
            FeedItem(
                title=page.title,
                url=page.get_url(request),
                date=page.first_published_at,
                description=getattr(page, "summary", "") or page.search_description,
            )
            for page in pages
        ]
        title = site.site_name if isinstance(column, HomePage) else f"{column.title} - {site.site_name}"
        description = getattr(column, "description", "") or f"{title}最新信息"
        return FeedSource(title=title, url=column.get_url(request), description=description, items=items)

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.url

    def description(self, obj):
        return obj.description

    def items(self, obj):
        return obj.items

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.url

    def item_description(self, item):
        return item.description

    def item_pubdate(self, item):
        return item.date
