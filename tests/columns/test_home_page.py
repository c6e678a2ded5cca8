"""The home page is driven by content and costs the same number of queries however much a site publishes."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from columns.models import ArticlePage, HomePage
from tenants.routing import clear_route_cache
from tests.factories import ArticleFactory, ColumnFactory, column


def bulk_copy(article, count):
    """Add `count` (< 9,900) live copies of `article` beside it in one statement: a realistic tree, fast.

    Tree steps start at 0100, clear of the handful of children the test made first.
    """
    parent = article.get_parent()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'wagtailcore_page' AND column_name <> 'id' ORDER BY ordinal_position"
        )
        columns = [row[0] for row in cursor.fetchall()]
        overrides = {
            "path": "%(parent_path)s || lpad((g + 100)::text, 4, '0')",
            "slug": "'bulk-' || g",
            "url_path": "%(parent_url)s || 'bulk-' || g || '/'",
            "title": "'批量文章 ' || g",
            "draft_title": "'批量文章 ' || g",
            "translation_key": "gen_random_uuid()",
            "first_published_at": "p.first_published_at + (%(count)s - g + 1) * interval '1 second'",
            "latest_revision_id": "NULL",
            "live_revision_id": "NULL",
        }
        select = ", ".join(overrides.get(c, f"p.{c}") for c in columns)
        cursor.execute(
            f"INSERT INTO wagtailcore_page ({', '.join(columns)}) SELECT {select} "  # noqa: S608 (catalog names)
            "FROM wagtailcore_page p, generate_series(1, %(count)s) g WHERE p.id = %(id)s RETURNING id",
            {"parent_path": parent.path, "parent_url": parent.url_path, "count": count, "id": article.pk},
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "INSERT INTO columns_articlepage (page_ptr_id, source, author, summary, is_headline, body) "
            "SELECT unnest(%s::bigint[]), '测试', '', '', false, '<p>正文</p>'",
            [ids],
        )
        cursor.execute("UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s", [count, parent.pk])


def home_queries(site):
    client = site.client()
    client.get("/")  # warm per-process caches (site root paths), as a running server has them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_home_page_shows_headlines_latest_items_and_quick_links(county):
    with schema_context(county.schema):
        ArticleFactory(title="锦江区召开全区经济工作会议", is_headline=True)
        ArticleFactory(parent=column("tzgg"), title="关于春节期间政务服务安排的通知")
        ColumnFactory(parent=column("bsfw"), title="个人办事", slug="grbs", column_type="service", revision=False)
    _, body = home_queries(county)
    assert "锦江区召开全区经济工作会议" in body
    assert "关于春节期间政务服务安排的通知" in body
    assert "个人办事" in body


def test_home_page_query_count_does_not_grow_with_content(county):
    with schema_context(county.schema):
        first = ArticleFactory(title="第一篇", is_headline=True)
        for n in range(9):
            ArticleFactory(parent=column("tzgg" if n % 2 else "xwdt"), title=f"文章 {n}")
    small, _ = home_queries(county)
    with schema_context(county.schema):
        bulk_copy(first, 4990)
        assert ArticlePage.objects.live().count() == 5000
    large, body = home_queries(county)
    assert "批量文章 1<" in body, "the newest bulk item is listed"
    assert large == small, f"{small} queries with 10 articles, {large} with 5,000"
    assert small <= 16, "routing and a schema switch included (test settings cache no routes)"


def serving_worker_queries(client):
    """Statements of one home page request on a worker that has served this site before.

    As in production, the router keeps its answers (a registry change clears them) and the
    connection stays on the site after a request, keeping the ContentType cache. The test
    client's return to the public schema (conftest) is undone by the caller.
    """
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response.content.decode()


def plant_articles(count, start):
    """`count` live articles spread over 新闻动态, 通知公告 and a sub-column of 新闻动态, oldest first."""
    when = timezone.now() - timedelta(days=30)
    parents = [column("xwdt"), column("tzgg"), column("bmdt")]
    for n in range(start, start + count):
        ArticleFactory(
            parent=parents[n % 3], title=f"工作动态 {n}", revision=False,
            first_published_at=when + timedelta(minutes=n),
        )


def test_home_page_of_a_site_with_content_costs_nine_statements_and_shows_a_publish_at_once(
    county, settings, monkeypatch
):
    settings.TENANT_ROUTE_CACHE_SECONDS = 60
    clear_route_cache()
    monkeypatch.undo()  # the conftest's return to public after each request: a worker stays on its site
    with schema_context(county.schema):
        ColumnFactory(parent=column("xwdt"), title="部门动态", slug="bmdt", column_type="news", revision=False)
        ColumnFactory(parent=column("bsfw"), title="个人办事", slug="grbs", column_type="service", revision=False)
        plant_articles(30, 0)
    client = county.client()
    client.get("/")  # this worker's first request for the site: routes, ContentTypes, site root paths
    small, body = serving_worker_queries(client)
    assert "工作动态 29" in body and "个人办事" in body
    # The Wagtail Site with its root page, the home page itself, its view restrictions, the site's
    # settings, the menu, the headlines, the columns, every column's items, the annual report.
    assert len(small) <= 9, "\n".join(small)

    with schema_context(county.schema):
        plant_articles(60, 30)
    large, body = serving_worker_queries(client)
    assert "工作动态 89" in body
    assert len(large) == len(small), f"{len(small)} statements with 30 articles, {len(large)} with 90"

    with schema_context(county.schema):
        ArticleFactory(parent=column("tzgg"), title="关于调整办公时间的通知")
    _, body = serving_worker_queries(client)
    assert "关于调整办公时间的通知" in body, "a published article is on the home page at once"


def test_a_password_protected_home_page_asks_for_the_password(county):
    with schema_context(county.schema):
        ArticleFactory(title="内部会议纪要", is_headline=True)
        PageViewRestriction.objects.create(page=HomePage.objects.get(), restriction_type="password", password="mima")
    response = county.client().get("/")
    body = response.content.decode()
    assert "内部会议纪要" not in body
    assert 'name="password"' in body
