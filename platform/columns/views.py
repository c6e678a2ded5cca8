"""网站地图 and sitemap.xml: the site's column tree and its live public pages.

Each reads only the current site's schema and writes addresses on the request's own
host (aliases were already redirected to the primary domain by the router), so no
response can name another site's URLs. Rendered with the theme's templates.
"""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.encoding import iri_to_uri
from wagtail.models import Page, Site

from .models import ColumnPage

# The sitemaps protocol allows at most 50,000 addresses in one file; past that, an index.
SITEMAP_LIMIT = 50_000


def _root(request):
    return Site.find_for_request(request).root_page


def _column_tree(request, root):
    """The live public columns below `root`, nested, in one query.

    A column whose parent column is hidden (unpublished or private) is left out with it.
    """
    columns = ColumnPage.objects.live().public().descendant_of(root).order_by("path")
    top = {"children": []}
    by_path = {root.path: top}
    for column in columns.only("title", "url_path", "path", "depth"):
        parent = by_path.get(column.path[: -Page.steplen])
        if parent is None:
            continue
        node = {"title": column.title, "url": column.get_url(request), "children": []}
        parent["children"].append(node)
        by_path[column.path] = node
    return top["children"]


def site_map(request):
    """网站地图: every column of the site, as a tree (a statutory page of the footer)."""
    column = {"name": "网站地图", "type": "其他", "description": "本站栏目结构", "keywords": "网站地图"}
    context = {"tree": _column_tree(request, _root(request)), "column": column}
    return render(request, "themes/site_map.html", context)


def sitemap_xml(request):
    """sitemap.xml of the live public pages; an index of ?p=N parts past SITEMAP_LIMIT pages."""
    pages = (
        Page.objects.live().public().descendant_of(_root(request), inclusive=True)
        .order_by("path").only("url_path", "last_published_at", "path", "depth")
    )
    paginator = Paginator(pages, SITEMAP_LIMIT)
    number = request.GET.get("p")
    if number is None and paginator.num_pages > 1:
        parts = [request.build_absolute_uri(f"/sitemap.xml?p={n}") for n in paginator.page_range]
        return render(request, "themes/sitemap_index.xml", {"parts": parts}, content_type="application/xml")
    try:
        part = paginator.page(number or 1)
    except InvalidPage as exc:
        raise Http404("没有这一部分") from exc
    urls = [
        {"loc": iri_to_uri(request.build_absolute_uri(page.get_url(request))), "lastmod": page.last_published_at}
        for page in part
    ]
    return render(request, "themes/sitemap.xml", {"urls": urls}, content_type="application/xml")
