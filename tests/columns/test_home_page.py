"""The home page is driven by content and costs the same number of queries however much a site publishes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from columns.models import ArticlePage
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
    # 22: routing, site, page, nav, home blocks, headlines, one children query per quick-link
    # column that has children (办事服务, and 互动交流 with its 领导信箱), and the annual report's link.
    assert small <= 22
