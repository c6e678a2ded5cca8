"""The search page of every site: this site, this site and the sites below it, or the whole province.

A plain GET page with no per-visitor content, so it stays cacheable; every parameter
is validated and a bad one is ignored, never an error.
"""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from library.models import ResourceItem
from tenants.models import GovSite, SiteStatus, sites_below

from . import query as q
from . import stats
from .models import Kind, SearchEntry

PAGE_SIZE = 10
SCOPES = [("site", "本站"), ("subtree", "本站及下级站点"), ("province", "全省政府网站")]


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=200)
    scope = forms.ChoiceField(label="范围", choices=SCOPES, required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *Kind.choices], required=False)
    column = forms.TypedChoiceField(label="栏目", coerce=int, required=False, empty_value=None)
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        label="排序", choices=[("relevance", "按相关度"), ("date", "按时间")], required=False,
    )

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [("", "全部栏目"), *columns]

    def value(self, name, default=None):
        """The cleaned value of a field, or `default` when it was missing or invalid."""
        if not self.is_bound or name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


class CountedPaginator(Paginator):
    """A paginator told its count (the ranked candidates were counted when they were fetched)."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def subtree_ids(site):
    """The site and every running site below it."""
    return [site.pk, *(s.pk for s in sites_below(site, statuses=[SiteStatus.ACTIVE]))]


@require_safe  # a search is a GET; anything else gets 405, not a form error
def search(request):
    site = request.site_tenant  # chosen by tenants.middleware from the Host header
    columns = list(
        SearchEntry.objects.exclude(column_id=None).values_list("column_id", "column_title").distinct().order_by(
            "column_title"
        )
    )
    form = SearchForm(request.GET or None, columns=columns)
    form.is_valid()
    parsed = q.parse(form.value("q", ""))
    scope = form.value("scope", "site")
    sort = form.value("sort", "relevance")
    context = {"form": form, "query": parsed.text, "scope": scope, "sort": sort, "scopes": SCOPES}
    if parsed.empty:
        return render(request, "search/results.html", context)

    if scope == "site":
        pool, has_body = SearchEntry.objects.all(), True
        if form.value("column"):
            pool = pool.filter(column_id=form.value("column"))
    else:
        pool, has_body = ResourceItem.objects.all(), False
        if scope == "subtree":
            pool = pool.filter(site_id__in=subtree_ids(site))
        else:
            # The few sites that are not active, as a literal list: a join with the site table made
            # PostgreSQL intersect a 300,000-row site bitmap per site before it ranked (~10× slower).
            pool = pool.exclude(site_id__in=list(GovSite.objects.exclude(status="active").values_list("pk", flat=True)))
    if form.value("kind"):
        pool = pool.filter(kind=form.value("kind"))
    if form.value("start"):
        pool = pool.filter(published_at__date__gte=form.value("start"))
    if form.value("end"):
        pool = pool.filter(published_at__date__lte=form.value("end"))
    scored, ranked = q.rank(pool, parsed, has_body=has_body)
    paginator = CountedPaginator(q.order(scored, sort), PAGE_SIZE, count=ranked)
    # As many matches as are ranked: there may be more. Counting them all would read every
    # match again (bench/README.md, search); the page says "at least" instead.
    capped = ranked >= q.RANK_CANDIDATES
    page_obj = paginator.get_page(request.GET.get("page"))
    if request.GET.get("page") in (None, "", "1"):  # paging through results is not another search
        stats.record(site, parsed.text, ranked)
    sites = GovSite.objects.in_bulk({item.site_id for item in page_obj if not has_body})
    hits = []
    for item in page_obj:
        hits.append({
            "item": item,
            "title": q.highlight(item.title, parsed),
            "summary": q.highlight(item.summary, parsed, limit=q.SNIPPET_CHARS),
            "site": site if has_body else sites.get(item.site_id),
            "url": item.url,
            "kind": Kind(item.kind).label if item.kind in Kind.values else item.kind,
        })
    context.update(page_obj=page_obj, paginator=paginator, hits=hits, capped=capped)
    if not ranked:
        context.update(suggestions=suggestions(parsed), services=related_services())
    return render(request, "search/results.html", context)


def suggestions(parsed):
    """Nothing found for all the words together: each word alone, with how many it finds here."""
    if len(parsed.tokens) < 2:
        return []
    found = []
    for token in parsed.tokens:
        count = q.matches(SearchEntry.objects.all(), q.ParsedQuery(text=token, tokens=[token])).count()
        if count:
            found.append((token, count))
    return found


def related_services():
    return list(SearchEntry.objects.filter(kind=Kind.SERVICE).order_by("title")[:6])
