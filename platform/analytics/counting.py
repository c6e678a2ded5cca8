"""Count page views: one insert per view, folded into the daily counters in batches.

Pages are counted by a beacon the theme sends after the page has loaded (themes/js/count.js),
because the edge cache answers most requests without reaching Django: a count in Django's
request path would see only the misses. Browsers that send Do Not Track or Global Privacy
Control, and clients that run no script (most robots), are not counted.

A view is a row of analytics_pendingview, nothing else: incrementing the (site, day) counter
at once made every view of a site wait on that one row's lock. `fold` moves pending rows into
PageViewDay and SiteViewDay in one statement (`manage.py fold_page_views`, every minute; and
before the figures are read, so an editor sees a view counted at once).
"""

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from columns.models import path_on_site

_PENDING = """
INSERT INTO public.analytics_pendingview (site_id, day, page_id, path, title) VALUES (%s, %s, %s, %s, %s)
"""
# Batches of pending rows, taken with SKIP LOCKED (two folds at once take different rows), added
# to both counters in one statement: all of a batch is counted or none of it.
_FOLD = """
WITH moved AS (
    DELETE FROM public.analytics_pendingview WHERE id IN (
        SELECT id FROM public.analytics_pendingview {where} ORDER BY id LIMIT %(batch)s FOR UPDATE SKIP LOCKED
    ) RETURNING site_id, day, page_id, path, title
), pages AS (
    INSERT INTO public.analytics_pageviewday (site_id, day, page_id, path, title, views)
    SELECT site_id, day, page_id, max(path), max(title), count(*) FROM moved GROUP BY site_id, day, page_id
    ON CONFLICT (site_id, day, page_id) DO UPDATE SET views = analytics_pageviewday.views + EXCLUDED.views,
        path = EXCLUDED.path, title = EXCLUDED.title
)
INSERT INTO public.analytics_siteviewday (site_id, day, views)
SELECT site_id, day, count(*) FROM moved GROUP BY site_id, day
ON CONFLICT (site_id, day) DO UPDATE SET views = analytics_siteviewday.views + EXCLUDED.views
RETURNING views
"""
FOLD_BATCH = 50_000


def count_view(site, page_id):
    """Count a view of live page `page_id` of `site` (the current schema's); False if there is no such page.

    Only live, public pages of the site count: an id that is not one is dropped, so a forged
    beacon cannot add rows, only raise a real page's count.
    """
    page = Page.objects.live().filter(pk=page_id, depth__gte=2).only("title", "url_path", "path").first()
    if page is None or page.get_view_restrictions():
        return False
    with connection.cursor() as cursor:
        cursor.execute(_PENDING, [site.pk, timezone.localdate(), page.pk, path_on_site(page.url_path)[:500],
                                  page.title[:255]])
    return True


def fold(sites=None):
    """Add the pending views (of `sites`, or every site) to the counters; returns how many batches ran."""
    where, params = "", {"batch": FOLD_BATCH}
    if sites is not None:
        where, params["sites"] = "WHERE site_id = ANY(%(sites)s)", [site.pk for site in sites]
    batches = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_FOLD.format(where=where), params)
            if not cursor.fetchall():
                return batches
        batches += 1
