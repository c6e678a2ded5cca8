"""Count one page view: two upserts (the page's and the site's counter for today), nothing else kept.

Pages are counted by a beacon the theme sends after the page has loaded (themes/js/count.js),
because the edge cache answers most requests without reaching Django: a count in Django's
request path would see only the misses. Browsers that send Do Not Track or Global Privacy
Control, and clients that run no script (most robots), are not counted.
"""

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from columns.models import path_on_site

_UPSERT_PAGE = """
INSERT INTO public.analytics_pageviewday (site_id, day, page_id, path, title, views)
VALUES (%s, %s, %s, %s, %s, 1)
ON CONFLICT (site_id, day, page_id)
DO UPDATE SET views = analytics_pageviewday.views + 1, path = EXCLUDED.path, title = EXCLUDED.title
"""
_UPSERT_SITE = """
INSERT INTO public.analytics_siteviewday (site_id, day, views) VALUES (%s, %s, 1)
ON CONFLICT (site_id, day) DO UPDATE SET views = analytics_siteviewday.views + 1
"""


def count_view(site, page_id):
    """Count a view of live page `page_id` of `site` (the current schema's); False if there is no such page.

    Only live, public pages of the site count: an id that is not one is dropped, so a forged
    beacon cannot add rows, only raise a real page's count.
    """
    page = Page.objects.live().filter(pk=page_id, depth__gte=2).only("title", "url_path", "path").first()
    if page is None or page.get_view_restrictions():
        return False
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_UPSERT_PAGE, [site.pk, today, page.pk, path_on_site(page.url_path)[:500], page.title[:255]])
        cursor.execute(_UPSERT_SITE, [site.pk, today])
    return True
