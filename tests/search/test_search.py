"""Chinese search: segmentation, both indexes kept in step with publishing, scopes, isolation, hostile input."""

import re

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from columns.models import ColumnPage
from library.models import ResourceItem
from search.models import SearchEntry
from tenants.models import GovSite
from tests.factories import ArticleFactory, PolicyDocumentFactory


def titles(response):
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'class="search-result__title"><a href="[^"]*">(.*?)</a>',
                                                           response.text, re.S)]


def search(site, **params):
    response = site.client().get("/search/", params)
    assert response.status_code == 200
    return response


def test_a_chinese_phrase_finds_a_title_without_spaces(county):
    with schema_context(county.schema):
        ArticleFactory(title="关于优化营商环境的实施意见")
        ArticleFactory(title="锦江区召开安全生产会议")
    for query in ("营商环境", "营商", "優化營商環境", "营商环境 实施意见"):
        assert titles(search(county, q=query)) == ["关于优化营商环境的实施意见"], query
    html = search(county, q="营商环境").text
    assert "<mark>营商环境</mark>" in html and "找到 1 条" in html


def test_policy_documents_are_found_by_their_document_number(county):
    with schema_context(county.schema):
        PolicyDocumentFactory(title="关于印发某某办法的通知", slug="p1", document_number="川府发〔2024〕3号")
    assert titles(search(county, q="川府发〔2024〕3号")) == ["关于印发某某办法的通知"]
    assert titles(search(county, q="川府发[2024]3号")) == ["关于印发某某办法的通知"]
    assert titles(search(county, q="川府发〔2024〕4号")) == []


def test_title_matches_rank_above_body_matches(county):
    with schema_context(county.schema):
        ArticleFactory(title="社区活动通知", body="<p>本次活动涉及营商环境宣传。</p>")
        ArticleFactory(title="营商环境宣传周启动", body="<p>内容</p>")
    assert titles(search(county, q="营商环境")) == ["营商环境宣传周启动", "社区活动通知"]
    # By date: newest first whatever the score.
    assert titles(search(county, q="营商环境", sort="date"))[0] == "营商环境宣传周启动"


def test_publish_unpublish_move_and_delete_reach_both_indexes(county):
    with schema_context(county.schema):
        page = ArticleFactory(title="一网通办上线", slug="ywtb")
        assert SearchEntry.objects.filter(key=f"page:{page.pk}").exists()
    item = ResourceItem.objects.get(site=county.site, source_key=f"page:{page.pk}")
    assert item.url == f"http://{county.host}/xwdt/ywtb/" and item.kind == "article"

    with schema_context(county.schema):
        page.move(ColumnPage.objects.get(slug="tzgg"), pos="last-child")
    item.refresh_from_db()
    assert item.url.endswith("/tzgg/ywtb/")
    assert 'href="/tzgg/ywtb/"' in search(county, q="一网通办").text

    with schema_context(county.schema):
        page.refresh_from_db()
        page.unpublish()
        assert not SearchEntry.objects.filter(key=f"page:{page.pk}").exists()
    assert not ResourceItem.objects.filter(site=county.site, source_key=f"page:{page.pk}").exists()
    assert titles(search(county, q="一网通办")) == []

    with schema_context(county.schema):
        page.save_revision().publish()
    assert ResourceItem.objects.filter(site=county.site, source_key=f"page:{page.pk}").exists()
    with schema_context(county.schema):
        page.delete()
        assert not SearchEntry.objects.filter(key=f"page:{page.pk}").exists()
    assert not ResourceItem.objects.filter(site=county.site, source_key=f"page:{page.pk}").exists()


def test_private_pages_are_in_neither_index(county):
    with schema_context(county.schema):
        ArticleFactory(title="内部通知不对外公开")
    assert titles(search(county, q="内部通知", scope="province")) == ["内部通知不对外公开"]
    # Restricting the column (not the page, and without republishing) takes everything below it out at once.
    with schema_context(county.schema):
        restriction = PageViewRestriction.objects.create(
            page=ColumnPage.objects.get(slug="xwdt"), restriction_type="password", password="x"
        )
    assert titles(search(county, q="内部通知")) == []
    assert titles(search(county, q="内部通知", scope="province")) == []
    with schema_context(county.schema):
        restriction.delete()
    assert titles(search(county, q="内部通知", scope="province")) == ["内部通知不对外公开"]


def test_published_mailbox_replies_are_searchable_and_leave_when_withdrawn(county):
    from interaction import actions
    from interaction.models import MailboxPage

    with schema_context(county.schema):
        data = {"category": "enquiry", "subject": "公积金提取咨询", "body": "如何提取住房公积金？",
                "phone": "12345678", "allow_public": True}
        message, _ = actions.submit_message(MailboxPage.objects.get(), data)
    assert titles(search(county, q="公积金")) == []
    with schema_context(county.schema):
        actions.reply_to_message(message, reply="<p>可在线办理。</p>", publish=True, acting_user=None)
    response = search(county, q="公积金提取")
    assert titles(response) == ["公积金提取咨询"] and "留言答复" in response.text
    assert f'href="/hdjl/ldxx/replies/{message.tracking_code}/"' in response.text
    with schema_context(county.schema):
        actions.set_published(message, published=False, acting_user=None)
    assert titles(search(county, q="公积金提取")) == []


def test_scopes_this_site_the_sites_below_and_the_whole_province(city, county, township):
    for site, title in ((city, "成都市乡村振兴工作会议"), (county, "锦江区乡村振兴示范点"),
                        (township, "春熙路街道乡村振兴宣讲")):
        with schema_context(site.schema):
            ArticleFactory(title=title)
    assert titles(search(county, q="乡村振兴")) == ["锦江区乡村振兴示范点"]
    below = sorted(titles(search(county, q="乡村振兴", scope="subtree")))
    assert below == ["春熙路街道乡村振兴宣讲", "锦江区乡村振兴示范点"]
    province = search(township, q="乡村振兴", scope="province")
    assert len(titles(province)) == 3
    assert "成都市人民政府" in province.text and "锦江区人民政府" in province.text
    assert f'href="http://{city.host}/' in province.text


@pytest.mark.parametrize("query", [
    "", " ", "'", '"', "\\", "%", "_", "&", "|", "!", ":*", "()", "a & b | !c",
    "'); DROP TABLE sitesearch_searchentry; --",
    "<script>alert(1)</script>", "😀😀", "营" * 5000, "\x00", "𠀀", "1 <-> 2", "a:*B",
])
def test_hostile_queries_answer_calmly(county, query):
    with schema_context(county.schema):
        ArticleFactory(title="测试文章")
    for scope in ("site", "subtree", "province"):
        response = county.client().get("/search/", {"q": query, "scope": scope, "page": "x", "start": "bad"})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.text


def test_bad_filters_are_ignored(county):
    with schema_context(county.schema):
        ArticleFactory(title="营商环境专题")
    response = county.client().get("/search/", {
        "q": "营商环境", "scope": "galaxy", "kind": "nope", "column": "abc", "start": "2024-13-40", "sort": "?",
    })
    assert response.status_code == 200 and titles(response) == ["营商环境专题"]


def test_nothing_found_suggests_words_and_services(county):
    from services.demo import add_demo_services

    with schema_context(county.schema):
        ArticleFactory(title="营商环境专题")
        add_demo_services(county.site)
    response = search(county, q="营商环境 火星基地")
    assert "没有找到" in response.text
    assert "营商环境</a>（1 条）" in response.text
    assert "您可能需要的办事服务" in response.text and "个体工商户设立登记" in response.text


def test_rebuild_fills_both_indexes_for_existing_content_and_drops_stale_rows(county):
    with schema_context(county.schema):
        page = ArticleFactory(title="重建索引测试文章")
        SearchEntry.objects.all().delete()
    ResourceItem.objects.filter(site=county.site).delete()
    ResourceItem.objects.create(site=county.site, source_key="page:999999", kind="article", title="早已删除",
                                url="http://x/")
    call_command("rebuild_search_index", "--site", county.site.region_code)
    with schema_context(county.schema):
        assert SearchEntry.objects.filter(key=f"page:{page.pk}").exists()
    assert ResourceItem.objects.filter(site=county.site, source_key=f"page:{page.pk}").exists()
    assert not ResourceItem.objects.filter(source_key="page:999999").exists()


def test_rebuild_names_unknown_sites_clearly(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="找不到这些区划代码的站点：999999"):
        call_command("rebuild_search_index", "--site", "999999")


def test_abbreviations_find_the_full_term_through_synonyms(county):
    with schema_context(county.schema):
        ArticleFactory(title="最低生活保障标准调整")
        ArticleFactory(title="社会保险缴费基数公布")
    assert titles(search(county, q="低保")) == ["最低生活保障标准调整"]
    assert titles(search(county, q="社保")) == ["社会保险缴费基数公布"]
    assert titles(search(county, q="低保 社保")) == []  # every word (or a synonym) must match


def test_a_suspended_sites_items_leave_the_province_search(city, county, township):
    from tenants import actions

    for site, title in ((county, "锦江区垃圾分类宣传"), (township, "春熙路街道垃圾分类宣传")):
        with schema_context(site.schema):
            ArticleFactory(title=title)
    assert len(titles(search(city, q="垃圾分类", scope="province"))) == 2
    actions.suspend_site(GovSite.objects.get(pk=township.site.pk), acting_user=None)  # not the shared fixture object
    assert titles(search(city, q="垃圾分类", scope="province")) == ["锦江区垃圾分类宣传"]
    assert titles(search(city, q="垃圾分类", scope="subtree")) == ["锦江区垃圾分类宣传"]


def test_very_common_words_rank_the_newest_matches_and_say_so(county, monkeypatch):
    from search import query

    with schema_context(county.schema):
        PolicyDocumentFactory(title="老年人优待办法", slug="elderly", document_number="锦府发〔2024〕9号")
        for title in ("老年人优待政策一", "老年人优待政策二", "老年人优待政策三"):
            ArticleFactory(title=title)
    monkeypatch.setattr(query, "RANK_CANDIDATES", 2)
    response = search(county, q="老年人优待")
    assert sorted(titles(response)) == ["老年人优待政策三", "老年人优待政策二"]
    assert "结果很多" in response.text and "最新的 2 条" in response.text and "找到" not in response.text
    # Filters narrow the matches before the newest are taken: the oldest item, a policy, is found by type.
    assert titles(search(county, q="老年人优待", kind="policy")) == ["老年人优待办法"]
    # A narrower query finds the oldest again: the newest are taken from its own matches.
    assert titles(search(county, q="老年人优待 政策一")) == ["老年人优待政策一"]


def test_a_revised_page_is_found_by_its_new_words_only(county):
    with schema_context(county.schema):
        page = ArticleFactory(title="春季植树活动通知", slug="zhishu")
        page.title = "秋季防火巡查通知"
        page.save_revision().publish()
    for scope in ("site", "province"):
        assert titles(search(county, q="植树", scope=scope)) == [], scope
        assert titles(search(county, q="防火巡查", scope=scope)) == ["秋季防火巡查通知"], scope
    assert ResourceItem.objects.filter(site=county.site, source_key=f"page:{page.pk}").count() == 1


def test_the_search_page_without_parameters_or_by_post_answers_clearly(county):
    assert county.client().get("/search/").status_code == 200
    assert county.client().post("/search/", {"q": "营商环境"}).status_code == 405
