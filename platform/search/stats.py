"""Search statistics: count a query (one upsert), and read top and zero-result queries."""

from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from library.models import QueryStat
from themes.charts import last_days, line_chart

WINDOW_DAYS = 30


def record(site, query, found):
    """Count one search of `query` (already normalised) on `site`; `found` is the number of results."""
    if site is None or not query:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO public.library_querystat (site_id, day, query, searches, zero_results) "
            "VALUES (%s, %s, %s, 1, %s) ON CONFLICT (site_id, day, query) DO UPDATE SET "
            "searches = library_querystat.searches + 1, "
            "zero_results = library_querystat.zero_results + EXCLUDED.zero_results",
            [site.pk, timezone.localdate(), query[:100], 0 if found else 1],
        )


def summary(sites=None, days=WINDOW_DAYS, limit=20):
    """Top queries and zero-result queries over the last `days` days, for `sites` (None: all)."""
    days_shown = last_days(days)
    since = days_shown[0]
    rows = QueryStat.objects.filter(day__gte=since)
    if sites is not None:
        rows = rows.filter(site__in=sites)
    grouped = rows.values("query").annotate(total=Sum("searches"), zero=Sum("zero_results"))
    per_day = dict(rows.values_list("day").annotate(n=Sum("searches")).order_by())
    return {
        "since": since,
        "chart": line_chart(f"最近 {days} 天每日搜索次数", [(day, per_day.get(day, 0)) for day in days_shown]),
        "top": list(grouped.order_by("-total", "query")[:limit]),
        "zero": list(grouped.filter(zero__gt=0).order_by("-zero", "query")[:limit]),
        "searches": rows.aggregate(n=Sum("searches"))["n"] or 0,
        "unanswered": rows.filter(Q(zero_results__gt=0)).aggregate(n=Sum("zero_results"))["n"] or 0,
    }
