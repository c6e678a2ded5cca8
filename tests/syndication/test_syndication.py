"""Syndication down the hierarchy: distribute, revise, withdraw, repeal; review mode; a suspended site catching up.

The fixture province has a city, a county under it and a township under that. Everything
here runs in the test transaction: the worker's pass (`sync.catch_up_all`) is called
directly, as the worker calls it; test_worker.py runs the worker process itself.
"""

import re

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Page

from columns.models import ArticlePage, ColumnPage, ColumnType, HomePage
from library.models import Delivery, Distribution, ResourceItem
from monitoring import indicators
from syndication import actions, sync
from syndication.models import AcceptMode, ReprintPage, ReprintSettings
from tenants import actions as site_actions
from tests.factories import ArticleFactory, ColumnFactory, PolicyDocumentFactory


class SafetyNewsFactory(ArticleFactory):
    """The item these tests distribute: the province's news of its work-safety meeting."""

    title = "全省安全生产工作会议召开"
    body = "<p>会议要求各地落实责任。</p>"
    source = "四川省应急管理厅"


def admin_user(site):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


def distribute(site, page, levels=("city", "county", "township"), root=None):
    with schema_context(site.schema):
        return actions.distribute_page(
            page, site.site, levels=list(levels), root=root or site.site, acting_user=admin_user(site),
        )


def republish(site, page_id, **changes):
    with schema_context(site.schema):
        page = Page.objects.get(pk=page_id).specific
        for name, value in changes.items():
            setattr(page, name, value)
        page.save_revision().publish()


def copy_of(site, distribution):
    with schema_context(site.schema):
        return ReprintPage.objects.filter(distribution_id=distribution.pk).first()


def plain(html):
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def receivers(city, county, township):
    return [city, county, township]


def test_an_item_reaches_every_site_below_with_its_source_and_a_link_back(province, receivers):
    with schema_context(province.schema):
        page = SafetyNewsFactory()
    distribution = distribute(province, page)
    assert sorted(distribution.deliveries.values_list("site__name", flat=True)) == ["成都市", "春熙路街道", "锦江区"]
    totals = sync.catch_up_all()
    assert totals == {"sites": 3, "applied": 3, "failed": 0}
    for site in receivers:
        column = site.client().get("/sjxx/")
        assert column.status_code == 200 and "全省安全生产工作会议召开" in column.text
        response = site.client().get(f"/sjxx/d{distribution.pk}/")
        assert response.status_code == 200
        html = response.text
        assert "会议要求各地落实责任。" in html and "来源：四川省应急管理厅" in html
        assert f'href="http://{province.host}' in html and "查看原文" in html
        assert f'<link rel="canonical" href="http://{province.host}' in html
        # The column is in the site's navigation and cannot be deleted by the site.
        home = site.client().get("/").text
        assert 'href="/sjxx/"' in home
    assert not sync.sites_behind()
    # The receiving editor can open the copy (to see where it is from), not rewrite it.
    edit = receivers[1].admin_client().get(f"/admin/pages/{copy_of(receivers[1], distribution).pk}/edit/")
    assert edit.status_code == 200 and "不能在本站修改" in edit.text and 'name="title"' not in edit.text
    # Stored once: one library row (the original's), none for the copies.
    assert ResourceItem.objects.filter(title="全省安全生产工作会议召开").count() == 1


def test_the_site_search_finds_the_copy_and_the_province_search_only_the_original(province, county):
    with schema_context(province.schema):
        page = SafetyNewsFactory()
    distribute(province, page)
    sync.catch_up_all()
    site_results = plain(county.client().get("/search/", {"q": "安全生产"}).text)
    assert "全省安全生产工作会议召开" in site_results and "找到 1 条" in site_results
    province_results = county.client().get("/search/", {"q": "安全生产", "scope": "province"}).text
    assert province_results.count('class="search-result__title"') == 1 and province.host in province_results


def test_a_revision_follows_on_every_copy(province, receivers):
    with schema_context(province.schema):
        page = SafetyNewsFactory()
    distribution = distribute(province, page)
    sync.catch_up_all()
    republish(province, page.pk, title="全省安全生产工作会议召开（更新）", body="<p>新增：汛期安全要求。</p>")
    # The body shows at once everywhere (the copies read it from the library) ...
    assert "新增：汛期安全要求。" in receivers[1].client().get(f"/sjxx/d{distribution.pk}/").text
    # ... and the title in the lists once each site has caught up.
    assert sync.catch_up_all()["applied"] == 3
    for site in receivers:
        assert copy_of(site, distribution).title == "全省安全生产工作会议召开（更新）"
        assert "全省安全生产工作会议召开（更新）" in site.client().get("/sjxx/").text


def test_a_withdrawal_takes_every_copy_down(province, receivers):
    with schema_context(province.schema):
        page = SafetyNewsFactory()
    distribution = distribute(province, page)
    sync.catch_up_all()
    with schema_context(province.schema):
        ArticlePage.objects.get(pk=page.pk).unpublish()
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.WITHDRAWN
    # At once: every copy answers 410 with a notice, before any site caught up.
    for site in receivers:
        response = site.client().get(f"/sjxx/d{distribution.pk}/")
        assert response.status_code == 410 and "已被发布单位撤回" in response.text
    sync.catch_up_all()
    for site in receivers:
        assert not copy_of(site, distribution).live
        assert "全省安全生产工作会议召开" not in site.client().get("/sjxx/").text
        assert "全省安全生产工作会议召开" not in plain(site.client().get("/search/", {"q": "安全生产"}).text)
    # The column stays, and an empty 上级信息 column is not the site's empty column.
    with schema_context(receivers[1].schema):
        empty = indicators._empty_columns(HomePage.objects.get(), indicators.thresholds(), "")
    assert "上级信息" not in [row["title"] for row in empty.detail]


def test_a_repealed_policy_is_marked_on_every_copy_at_once(province, receivers):
    with schema_context(province.schema):
        document = PolicyDocumentFactory(title="四川省某某管理办法", slug="bf", issuing_organ="四川省人民政府",
                                         document_number="川府发〔2024〕3号")
        distribution = actions.distribute_page(document, province.site, levels=["city", "county", "township"],
                                               root=province.site, acting_user=admin_user(province))
    sync.catch_up_all()
    copy = receivers[2].client().get(f"/sjxx/d{distribution.pk}/").text
    assert "川府发〔2024〕3号" in copy and "发文机关" in copy and "本文件已于" not in copy
    with schema_context(province.schema):
        from datetime import date

        from policies.models import PolicyDocumentPage

        document = PolicyDocumentPage.objects.get(pk=document.pk)
        document.validity, document.validity_changed_date = "repealed", date(2026, 6, 1)
        document.save_revision().publish()
    for site in receivers:  # no catch-up needed to be marked
        assert "本文件已于 2026-06-01 废止" in site.client().get(f"/sjxx/d{distribution.pk}/").text


def test_a_suspended_site_catches_up_when_resumed(province, city, county, township):
    site_actions.suspend_site(county.site, acting_user=None)
    with schema_context(province.schema):
        page = SafetyNewsFactory()
    distribution = distribute(province, page)
    sync.catch_up_all()
    republish(province, page.pk, title="标题已修改")
    assert sync.catch_up_all()["sites"] == 2  # the city and the township; the county waits
    assert copy_of(county, distribution) is None
    assert Delivery.objects.get(distribution=distribution, site=county.site).state == Delivery.State.NEW
    site_actions.resume_site(county.site, acting_user=None)
    assert [s.name for s in sync.sites_behind()] == ["锦江区"]
    sync.catch_up_all()
    copy = copy_of(county, distribution)
    assert copy.live and copy.title == "标题已修改"
    assert county.client().get(f"/sjxx/d{distribution.pk}/").status_code == 200


def test_a_reviewing_site_decides_in_its_inbox(province, county, township):
    with schema_context(county.schema):
        settings = ReprintSettings.load()
        settings.accept_mode = AcceptMode.REVIEW
        settings.save()
    with schema_context(province.schema):
        first = distribute(province, SafetyNewsFactory(title="第一条"))
        second = distribute(province, SafetyNewsFactory(title="第二条"))
    sync.catch_up_all()
    assert copy_of(county, first) is None and copy_of(township, first).live  # the township takes all
    editor = county.admin_client()
    inbox = editor.get("/admin/syndication/")
    assert inbox.status_code == 200 and "第一条" in inbox.text and "第二条" in inbox.text
    assert "有 2 条待接收" in inbox.text
    accept = Delivery.objects.get(distribution=first, site=county.site)
    decline = Delivery.objects.get(distribution=second, site=county.site)
    assert editor.post(f"/admin/syndication/{accept.pk}/accept/").status_code == 302
    assert editor.post(f"/admin/syndication/{decline.pk}/decline/").status_code == 302
    assert copy_of(county, first).live and copy_of(county, second) is None
    assert "第一条" in county.client().get("/sjxx/").text
    # A declined item stays off the site through its revisions.
    republish(province, second.source_page_id, title="第二条（修订）")
    sync.catch_up_all()
    assert copy_of(county, second) is None
    # Another site's delivery cannot be decided from here.
    other = Delivery.objects.get(distribution=first, site=township.site)
    editor.post(f"/admin/syndication/{other.pk}/decline/")
    assert Delivery.objects.get(pk=other.pk).state == Delivery.State.ACCEPTED


def test_an_editor_unpublishing_a_copy_declines_it(province, county):
    with schema_context(province.schema):
        distribution = distribute(province, SafetyNewsFactory())
    sync.catch_up_all()
    with schema_context(county.schema):
        copy_of(county, distribution).unpublish()
    assert Delivery.objects.get(distribution=distribution, site=county.site).state == Delivery.State.DECLINED
    republish(province, distribution.source_page_id, title="又一次更新")
    sync.catch_up_all()
    assert not copy_of(county, distribution).live


def test_levels_and_subtree_choose_the_receivers(province, city, county, township):
    with schema_context(province.schema):
        distribution = distribute(province, SafetyNewsFactory(), levels=["county"], root=city.site)
    assert list(distribution.deliveries.values_list("site__name", flat=True)) == ["锦江区"]
    # Widening the range adds sites and keeps the ones that have it.
    distribute(province, _page(province, distribution), levels=["township"])
    assert sorted(distribution.deliveries.values_list("site__name", flat=True)) == ["春熙路街道", "锦江区"]


def _page(site, distribution):
    with schema_context(site.schema):
        return ArticlePage.objects.get(pk=distribution.source_page_id)


def test_what_cannot_be_distributed_is_refused_with_a_reason(province, city, county):
    with schema_context(county.schema):
        page = SafetyNewsFactory()
        with pytest.raises(actions.SyndicationError, match="不是本站的下级站点"):
            actions.distribute_page(page, county.site, levels=["township"], root=city.site,
                                    acting_user=admin_user(county))
        with pytest.raises(actions.SyndicationError, match="站点级别"):
            actions.distribute_page(page, county.site, levels=["city"], root=county.site,
                                    acting_user=admin_user(county))
        with pytest.raises(actions.SyndicationError, match="站点级别"):
            actions.distribute_page(page, county.site, levels=[], root=county.site, acting_user=admin_user(county))
        column = ColumnPage.objects.get(slug="xwdt")
        with pytest.raises(actions.SyndicationError, match="只有文章"):
            actions.distribute_page(column, county.site, levels=["township"], root=county.site,
                                    acting_user=admin_user(county))
        page.unpublish()
        with pytest.raises(actions.SyndicationError, match="请先发布"):
            actions.distribute_page(page, county.site, levels=["township"], root=county.site,
                                    acting_user=admin_user(county))
    assert not Distribution.objects.exists()


def test_one_failing_site_does_not_hold_back_the_others(province, city, county, township):
    with schema_context(county.schema):  # the county's own column already took the address the copy needs
        ColumnFactory(title="上级文件", slug="sjxx", column_type=ColumnType.OTHER, revision=False)
    with schema_context(province.schema):
        distribution = distribute(province, SafetyNewsFactory())
    totals = sync.catch_up_all()
    assert totals["failed"] == 1 and totals["applied"] == 2
    failed = Delivery.objects.get(distribution=distribution, site=county.site)
    assert failed.applied_revision == 0 and "slug" in failed.last_error.lower()
    assert copy_of(city, distribution).live and copy_of(township, distribution).live
    assert [s.name for s in sync.sites_behind()] == ["锦江区"]  # retried next time


def test_the_distribute_screen(province, city):
    with schema_context(province.schema):
        page = SafetyNewsFactory()
    editor = province.admin_client()
    edit = editor.get(f"/admin/pages/{page.pk}/edit/").text
    assert "分发到下级站点" in edit
    screen = editor.get(f"/admin/syndication/distribute/{page.pk}/")
    assert screen.status_code == 200 and "成都市及其下级" in screen.text
    response = editor.post(f"/admin/syndication/distribute/{page.pk}/", {"levels": ["city"], "root": province.site.pk})
    assert response.status_code == 302
    assert "1 个下级站点将收到" in editor.get(response.url).text
    bad = editor.post(f"/admin/syndication/distribute/{page.pk}/", {"levels": ["nonsense"], "root": "x"})
    assert bad.status_code == 200 and bad.text.count("不在可用的选项中") == 2
    assert editor.get("/admin/syndication/distribute/999999/").status_code == 404
    with schema_context(province.schema):
        column_id = ColumnPage.objects.get(slug="xwdt").pk
    refused = editor.get(f"/admin/syndication/distribute/{column_id}/")  # Wagtail: to the dashboard, with a message
    assert refused.status_code == 302 and refused.url == "/admin/"


def test_a_site_without_sites_below_is_told_so(township):
    with schema_context(township.schema):
        page = SafetyNewsFactory()
    editor = township.admin_client()
    assert "分发到下级站点" not in editor.get(f"/admin/pages/{page.pk}/edit/").text
    assert "没有下级站点" in editor.get(f"/admin/syndication/distribute/{page.pk}/").text


def test_the_console_shows_how_far_each_item_has_reached(province, city, county, township, console_client):
    site_actions.suspend_site(county.site, acting_user=None)
    with schema_context(province.schema):
        distribution = distribute(province, SafetyNewsFactory())
    with schema_context(township.schema):  # the township's own column took the address: its delivery fails
        ColumnFactory(title="上级文件", slug="sjxx", column_type=ColumnType.OTHER, revision=False)
    sync.catch_up_all()
    listing = console_client.get("/distributions/").text
    row = [plain(cell).strip() for cell in re.findall(r"<td>(.*?)</td>", listing, re.S)]
    # title, source, time, status, sites, shown, pending, declined, behind: the county waits, the township failed
    assert row[:2] == ["全省安全生产工作会议召开", "四川省"]
    assert row[3:] == ["分发中", "3", "1", "0", "0", "2（1 个出错）"]
    detail = console_client.get(f"/distributions/{distribution.pk}/")
    assert detail.status_code == 200
    text = plain(detail.text)
    assert "锦江区" in text and "已暂停" in text and "未同步：" in text
    assert console_client.get("/distributions/999999/").status_code == 404


def test_taking_down_the_column_above_the_source_withdraws_it(province, county):
    with schema_context(province.schema):
        column = ColumnFactory(parent=ColumnPage.objects.get(slug="xwdt"), title="专项工作", slug="zxgz",
                               column_type=ColumnType.NEWS)
        page = ArticleFactory(parent=column, title="专项工作部署", slug="bs", body="<p>部署。</p>")
    distribution = distribute(province, page, levels=["county"])
    sync.catch_up_all()
    with schema_context(province.schema):
        ColumnPage.objects.get(pk=column.pk).unpublish()  # the article is no longer reachable at its source
    distribution.refresh_from_db()
    assert distribution.is_withdrawn
    assert county.client().get(f"/sjxx/d{distribution.pk}/").status_code == 410


def test_the_demo_province_pushes_its_newest_article_down_once(province, city, county, township):
    from syndication.demo import distribute_demo_item

    with schema_context(province.schema):
        SafetyNewsFactory(title="较早的新闻")
        newest = SafetyNewsFactory(title="最新的新闻")
    distribution = distribute_demo_item(province.site)
    assert distribution.source_page_id == newest.pk and distribution.deliveries.count() == 3
    assert distribute_demo_item(province.site) is None  # make run again: nothing more


def test_catching_up_a_revision_clears_each_copy_at_the_edge(province, county, settings,
                                                             django_capture_on_commit_callbacks):
    """The copy's body changes with the source; its cached page at the edge must go even if the title did not."""
    from edge import purge
    from tests.edge.test_purge import unreachable_edge

    with schema_context(province.schema):
        page = SafetyNewsFactory()
    distribute(province, page, levels=["county"])
    sync.catch_up_all()
    republish(province, page.pk, body="<p>只改正文。</p>")
    unreachable_edge(settings)
    with django_capture_on_commit_callbacks() as callbacks:
        sync.catch_up_all()
    urls = set().union(*(c.urls for c in callbacks if isinstance(c, purge._Batch)))
    assert f"http://{county.host}/" in urls
