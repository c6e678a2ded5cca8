"""The inspection indicators on a seeded province: each veto planted in one known site, found there only.

Every site is first filled so that it passes (every column has a fresh item), then one
condition is planted per site:
- 四川省: 5 empty columns;
- 成都市: a stale home page (nothing new for 20 days);
- 锦江区: 5 stale key columns (news-type silent for 3 weeks, notice/policy for 7 months);
- 春熙路街道: a citizen message unanswered for 100 days;
- 武侯区 (made here): a broken link found by the last crawl;
- 成华区 (made here): a home page that timed out in 30 of a week's 336 probes;
- 青羊区 (made here): nothing — it must come out clean.
The crawler and the probes themselves are tested against a real server (test_crawler.py,
test_probes.py); here their findings are planted as the rows they write.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from columns.models import ColumnPage, ColumnType
from interaction.models import MailboxPage, Message
from monitoring.health import refresh
from monitoring.models import BrokenLink, CrawlRun, HealthSnapshot, ProbeDay, SiteHealth
from tenants import actions
from tenants.models import GovSite
from tests.factories import ArticleFactory, ColumnFactory

NOW = timezone.now()


def fill(site, age=timedelta(days=1)):
    """A live item `age` old in every column that has no live child: the site passes everything."""
    with schema_context(site.schema_name):
        for column in ColumnPage.objects.live().exclude(column_type=ColumnType.MAILBOX).specific():
            if not column.get_children().live().exists():
                ArticleFactory(parent=column, title=f"{column.title}工作情况", slug=f"item-{column.pk}",
                               first_published_at=NOW - age, revision=False)


def add_column(parent_slug, title, slug, column_type, item_age=None):
    column = ColumnFactory(parent=ColumnPage.objects.get(slug=parent_slug), title=title, slug=slug,
                           column_type=column_type, revision=False)
    if item_age is not None:
        ArticleFactory(parent=column, title=f"{title}信息", slug=f"{slug}-1", first_published_at=NOW - item_age,
                       revision=False)
    return column


def age_items(column_slugs, age):
    for slug in column_slugs:
        column = ColumnPage.objects.get(slug=slug)
        Page.objects.descendant_of(column).not_type(ColumnPage).update(first_published_at=NOW - age)


@pytest.fixture
def seeded(fixture_sites, db):
    sites = {key: fixture_sites[key].site for key in ("province", "city", "county", "township")}
    for key, name, code in (("clean", "青羊区", "510105"), ("broken_link", "武侯区", "510107"),
                            ("unreachable", "成华区", "510108")):
        sites[key] = actions.provision_site(
            name=name, level="county", parent=sites["city"], region_code=code, site_code=f"{code}0001",
            acting_user=None,
        ).site
    for site in sites.values():
        fill(site)
    with schema_context(sites["province"].schema_name):
        for n in range(5):
            add_column("zjxx", f"专题{n}", f"zt{n}", ColumnType.TOPIC)
    with schema_context(sites["city"].schema_name):
        home_columns = ColumnPage.objects.filter(column_type__in=["news", "notice", "policy", "interpretation"])
        for column in home_columns:
            items = Page.objects.descendant_of(column).not_type(ColumnPage)
            items.update(first_published_at=NOW - timedelta(days=20))
        # Still inside their own periods: notice/policy/interpretation allow six months.
    with schema_context(sites["county"].schema_name):
        add_column("xwdt", "工作动态", "gzdt", ColumnType.NEWS, item_age=timedelta(days=21))
        add_column("xwdt", "部门动态", "bmdt", ColumnType.NEWS, item_age=timedelta(days=21))
        age_items(["xwdt"], timedelta(days=21))
        age_items(["tzgg", "zcwj"], timedelta(days=210))
    CrawlRun.objects.create(site=sites["broken_link"], started_at=NOW, finished_at=NOW, pages=40, checked=120,
                            broken=1)
    BrokenLink.objects.create(site=sites["broken_link"], url="http://wuhou.chengdu.localhost/xwdt/old/",
                              found_on="http://wuhou.chengdu.localhost/xwdt/a-1/", status=404)
    CrawlRun.objects.create(site=sites["clean"], started_at=NOW, finished_at=NOW, pages=40, checked=120, broken=0)
    for n in range(7):
        day = timezone.localdate(NOW) - timedelta(days=n)
        ProbeDay.objects.create(site=sites["unreachable"], day=day, probes=48, failures=5 if n < 6 else 0)
        ProbeDay.objects.create(site=sites["clean"], day=day, probes=48, failures=0)
    with schema_context(sites["township"].schema_name):
        message = Message.new(reply_days=15, password="ABCDEFGH", mailbox=MailboxPage.objects.first(),
                              category="consult", subject="小区路灯不亮", body="请尽快维修。",
                              received_at=NOW - timedelta(days=100))
        message.save()
    return sites


EXPECTED = {
    "province": {"empty_columns"},
    "city": {"homepage"},
    "county": {"stale_key_columns"},
    "township": {"unanswered_messages"},
    "broken_link": {"broken_links"},
    "unreachable": {"availability"},
    "clean": set(),
}


def test_each_planted_veto_is_found_in_its_site_and_nowhere_else(seeded):
    for key, site in seeded.items():
        health = refresh(site, NOW)
        vetoed = {i["key"] for i in health.indicators if i["vetoed"]}
        assert vetoed == EXPECTED[key], (key, vetoed)
        assert health.vetoes == len(EXPECTED[key])


def test_the_drill_down_names_exactly_what_is_wrong(seeded, console_client):
    county = refresh(seeded["county"], NOW)
    stale = county.indicator("stale_key_columns")
    expected = ["工作动态", "政策文件", "新闻动态", "通知公告", "部门动态"]
    assert sorted(item["title"] for item in stale["detail"]) == expected
    assert all(item["admin_url"].startswith(seeded["county"].base_url() + "/admin/pages/") for item in stale["detail"])
    township = refresh(seeded["township"], NOW)
    late = township.indicator("unanswered_messages")
    assert [item["title"] for item in late["detail"]] == ["小区路灯不亮"] and "100 天" in late["detail"][0]["note"]
    page = console_client.get(f"/health/{seeded['county'].pk}/").content.decode()
    assert "工作动态" in page and "已触发否决" in page and "在后台处理" in page


def test_days_left_and_warnings_before_the_line(seeded):
    clean = refresh(seeded["clean"], NOW)
    homepage = clean.indicator("homepage")
    assert homepage["value"] == 1 and homepage["days_left"] == 13 and not homepage["warning"]
    later = refresh(seeded["clean"], NOW + timedelta(days=8))  # day 9 of 14: within the 7-day margin
    homepage = later.indicator("homepage")
    assert homepage["days_left"] == 5 and homepage["warning"] and not homepage["vetoed"]
    assert later.warnings >= 1 and later.vetoes == 0


def test_the_dashboard_ranks_vetoed_sites_first_and_filters(seeded, console_client):
    call_command("compute_indicators", stdout=StringIO(), stderr=StringIO())
    assert SiteHealth.objects.count() == 7
    page = console_client.get("/health/").content.decode()
    clean_at = page.index("青羊区")
    for name in ("四川省", "成都市", "锦江区", "春熙路街道", "武侯区", "成华区"):
        assert page.index(name) < clean_at, f"{name} has a veto and ranks above the clean site"
    vetoed = console_client.get("/health/", {"state": "vetoed"}).content.decode()
    assert "青羊区" not in vetoed and "春熙路街道" in vetoed
    subtree = console_client.get("/health/", {"parent": "510104"}).content.decode()
    assert "锦江区" in subtree and "春熙路街道" in subtree and "成都市" not in subtree
    assert HealthSnapshot.objects.filter(site=seeded["county"], day=timezone.localdate()).exists()


def test_publishing_refreshes_the_sites_indicators(seeded, django_capture_on_commit_callbacks):
    refresh(seeded["city"], NOW)
    assert SiteHealth.objects.get(site=seeded["city"]).vetoes == 1
    with schema_context(seeded["city"].schema_name), django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="成都市召开新闻发布会", slug="fresh")
    assert SiteHealth.objects.get(site=seeded["city"]).vetoes == 0, "the home page is fresh again"


def test_editors_see_their_own_sites_indicators(seeded, county):
    refresh(seeded["county"], NOW)
    dashboard = county.admin_client().get("/admin/").content.decode()
    assert "网站监测：1 项否决" in dashboard and "工作动态" in dashboard


def test_archived_and_folded_sites_leave_the_dashboard(seeded, county):
    call_command("compute_indicators", stdout=StringIO(), stderr=StringIO())
    actions.archive_site(GovSite.objects.get(pk=seeded["clean"].pk), acting_user=None)
    call_command("compute_indicators", stdout=StringIO(), stderr=StringIO())
    assert not SiteHealth.objects.filter(site=seeded["clean"]).exists()
    assert SiteHealth.objects.count() == 6


def test_a_rolled_back_change_does_not_stop_later_refreshes(seeded, django_capture_on_commit_callbacks):
    """The refresh waits for the commit; a transaction that rolls back must not leave it skipped for good."""
    from django.db import transaction

    refresh(seeded["city"], NOW)
    with schema_context(seeded["city"].schema_name):
        try:
            with transaction.atomic():
                ArticleFactory(title="撤销的发布", slug="rolled-back")
                raise RuntimeError("the editor's request failed")
        except RuntimeError:
            pass
        with django_capture_on_commit_callbacks(execute=True):
            ArticleFactory(title="成都市召开新闻发布会", slug="fresh")
    assert SiteHealth.objects.get(site=seeded["city"]).vetoes == 0


def test_alerts_go_out_once_a_day_per_condition_to_the_sites_people(seeded, platform_admin, mailoutbox):
    from tenants import actions

    platform_admin.email = "admin@sc.gov.cn"
    platform_admin.save()
    actions.create_account(seeded["city"], username="bianji", email="bianji@chengdu.gov.cn", acting_user=None)
    call_command("compute_indicators", stdout=StringIO(), stderr=StringIO())
    city_mail = next(m for m in mailoutbox if "成都市" in m.subject)
    assert "首页更新" in city_mail.subject and "已触发否决" in city_mail.subject
    assert city_mail.to == ["bianji@chengdu.gov.cn"] and "阈值：14" in city_mail.body
    # The responsible admins get one digest of every new alert, not a mail per site.
    digest = [m for m in mailoutbox if m.to == ["admin@sc.gov.cn"]]
    assert len(digest) == 1 and "成都市（510100）：首页更新，已否决" in digest[0].body
    assert "锦江区（510104）" in digest[0].body and "青羊区" not in digest[0].body
    # Again the same day: nothing new is sent to anyone.
    sent = len(mailoutbox)
    call_command("compute_indicators", stdout=StringIO(), stderr=StringIO())
    assert len(mailoutbox) == sent
    # The next day the condition, still there, is mailed once more.
    from monitoring.alerts import send_alerts

    assert [i["key"] for i in send_alerts(seeded["city"], refresh(seeded["city"], NOW), NOW + timedelta(days=1))] \
        == ["homepage"]


def test_warnings_are_mailed_before_the_line(seeded, mailoutbox):
    from monitoring.alerts import send_alerts
    from tenants import actions

    actions.create_account(seeded["clean"], username="bianji", email="bianji@qingyang.gov.cn", acting_user=None)
    later = NOW + timedelta(days=8)
    assert len(send_alerts(seeded["clean"], refresh(seeded["clean"], later), later)) == 1
    assert "临近否决" in mailoutbox[-1].subject and "还剩 5 天" in mailoutbox[-1].body


def test_the_admin_banner_tells_editors_once_a_day(seeded, county):
    refresh(seeded["county"], NOW)
    editor = county.admin_client()
    first = editor.get("/admin/pages/").content.decode()
    assert "网站监测：本站有 1 项单项否决" in first
    assert "网站监测：本站有" not in editor.get("/admin/pages/").content.decode(), "once a day, not on every page"
