"""Read the page-view counters: daily totals for a chart, the top pages, the sites ranked by views.

Each reader first folds the pending views of what it reads (analytics.counting.fold): a figure
shown is never behind the views counted.
"""

from django.db.models import Sum

from themes.charts import last_days, line_chart

from .counting import fold
from .models import PageViewDay, SiteViewDay

WINDOW_DAYS = 30


def daily(sites=None, days=WINDOW_DAYS):
    """[(day, views)] for each of the last `days` days (0 where nothing was counted), `sites` or all."""
    span = last_days(days)
    fold(sites)
    rows = SiteViewDay.objects.filter(day__gte=span[0])
    if sites is not None:
        rows = rows.filter(site__in=sites)
    totals = dict(rows.values_list("day").annotate(n=Sum("views")).order_by())
    return [(day, totals.get(day, 0)) for day in span]


def summary(site=None, days=WINDOW_DAYS, limit=20):
    """A site's (or, with None, every site's) views over the last `days` days: chart, total, top pages."""
    points = daily([site] if site else None, days)
    top = []
    if site is not None:
        top = list(
            PageViewDay.objects.filter(site=site, day__gte=points[0][0]).values("page_id")
            .annotate(views=Sum("views")).order_by("-views", "page_id")[:limit]
        )
        latest = {row.page_id: row for row in PageViewDay.objects.filter(
            site=site, page_id__in=[t["page_id"] for t in top]).order_by("page_id", "-day").distinct("page_id")}
        for row in top:
            row["title"], row["path"] = latest[row["page_id"]].title, latest[row["page_id"]].path
    return {
        "since": points[0][0], "days": days, "total": sum(v for _, v in points),
        "chart": line_chart(f"最近 {days} 天每日访问量", points), "top": top,
    }


def ranking(sites, days=WINDOW_DAYS):
    """(site, views) over the last `days` days for each of `sites`, most viewed first."""
    since = last_days(days)[0]
    fold(sites)
    totals = dict(SiteViewDay.objects.filter(day__gte=since, site__in=sites).values_list("site_id")
                  .annotate(n=Sum("views")).order_by())
    return sorted(((site, totals.get(site.pk, 0)) for site in sites), key=lambda row: (-row[1], row[0].region_code))
