"""What citizens search for and do not find: counted per site and day, with nothing about who searched."""

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from library.models import QueryStat
from tests.factories import ArticleFactory


def test_searches_are_counted_anonymously_and_editors_see_top_and_zero_result_queries(county, city):
    with schema_context(county.schema):
        ArticleFactory(title="营商环境专题")
    client = county.client()
    for _ in range(2):
        client.get("/search/", {"q": "营商环境"})
    client.get("/search/", {"q": "營商環境"})  # folds into the same query
    client.get("/search/", {"q": "火星基地"})
    client.get("/search/", {"q": "营商环境", "page": "2"})  # paging is not another search
    client.get("/search/", {"q": ""})  # nothing typed: nothing counted
    city.client().get("/search/", {"q": "成都专属词"})

    rows = {r.query: (r.searches, r.zero_results) for r in QueryStat.objects.filter(site=county.site)}
    assert rows == {"营商环境": (3, 0), "火星基地": (1, 1)}
    assert {f.name for f in QueryStat._meta.get_fields()} == {"id", "site", "day", "query", "searches", "zero_results"}

    page = county.admin_client().get("/admin/search-stats/")
    assert page.status_code == 200
    assert "营商环境" in page.text and "火星基地" in page.text and "成都专属词" not in page.text
    assert "共搜索 4 次，其中 1 次没有结果" in page.text
    # The daily chart: today's 4 searches, with its numbers in a table for screen readers.
    today = timezone.localdate()
    assert "最近 30 天每日搜索次数" in page.text and f"<td>{today:%Y-%m-%d}</td><td>4</td>" in page.text


def test_provincial_admins_see_every_site_or_one(county, city, console_client):
    county.client().get("/search/", {"q": "火星基地"})
    city.client().get("/search/", {"q": "成都专属词"})
    everything = console_client.get("/search-stats/")
    assert everything.status_code == 200 and "火星基地" in everything.text and "成都专属词" in everything.text
    one = console_client.get("/search-stats/", {"site": county.site.region_code})
    assert "火星基地" in one.text and "成都专属词" not in one.text
    missing = console_client.get("/search-stats/", {"site": "nonsense"})
    assert missing.status_code == 404 and "没有区划代码为 nonsense 的站点" in missing.text
    assert Client(HTTP_HOST="localhost").get("/search-stats/").status_code == 302
