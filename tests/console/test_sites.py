"""The platform console: staff only, provisioning and lifecycle through the actions, audited."""

import csv
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context

from tenants import staff_roles
from tenants.models import AuditAction, AuditEvent, Domain, GovSite
from tests.factories import ArticleFactory
from tests.two_factor import mark_verified


def test_console_requires_login(db):
    response = Client(HTTP_HOST="localhost").get("/sites/new/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_staff_login_works_and_non_staff_is_forbidden(db):
    User = get_user_model()
    User.objects.create_user("guanliyuan", password="staff-pass-1234", is_staff=True).groups.add(
        Group.objects.get(name=staff_roles.SUPERVISOR))
    User.objects.create_user("visitor", password="visitor-pass-1234")
    client = Client(HTTP_HOST="localhost")
    assert client.post("/login/", {"username": "guanliyuan", "password": "staff-pass-1234"}).status_code == 302
    mark_verified(client, User.objects.get(username="guanliyuan"))
    assert client.get("/").status_code == 200
    other = Client(HTTP_HOST="localhost")
    other.post("/login/", {"username": "visitor", "password": "visitor-pass-1234"})
    response = other.get("/")
    assert response.status_code == 403 and "无权访问" in response.content.decode()


def test_a_site_editor_cannot_log_in_to_the_console(county):
    """Site accounts live in the site's schema; the console only knows platform staff."""
    response = Client(HTTP_HOST="localhost").post("/login/", {"username": "admin", "password": county.password})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_site_tree_lists_the_hierarchy(console_client, fixture_sites):
    body = console_client.get("/").content.decode()
    positions = [body.index(name) for name in ("四川省", "成都市", "锦江区", "春熙路街道")]
    assert positions == sorted(positions)
    assert "http://jinjiang.chengdu.localhost/" in body


def test_provision_from_the_console_shows_credentials_once(console_client, platform_admin, city):
    response = console_client.post("/sites/new/", {
        "name": "青羊区", "level": "county", "parent": city.site.pk,
        "region_code": "510105", "site_code": "5101050001", "domain": "",
    })
    assert response.status_code == 201
    body = response.content.decode()
    assert "http://qingyang.chengdu.localhost/" in body and "初始密码" in body
    site = GovSite.objects.get(region_code="510105")
    event = AuditEvent.objects.get(site=site, action="provision_site")
    assert event.actor == platform_admin and event.source == "127.0.0.1"


def test_provision_form_shows_field_errors_and_creates_nothing(console_client, city, county):
    before = GovSite.objects.count()
    response = console_client.post("/sites/new/", {
        "name": "青羊区", "level": "county", "parent": city.site.pk,
        "region_code": "51010X", "site_code": "123", "domain": county.host,
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "6 位数字" in body
    assert GovSite.objects.count() == before


def test_suspend_resume_and_domains_from_the_console(console_client, county):
    pk = county.site.pk
    response = console_client.post(f"/sites/{pk}/suspend/", follow=True)
    assert "已暂停" in response.content.decode()
    assert county.client().get("/").status_code == 503
    console_client.post(f"/sites/{pk}/resume/")
    assert county.client().get("/").status_code == 200

    console_client.post(f"/sites/{pk}/domains/", {"domain": "JJ.Example.gov.cn"})
    assert Domain.objects.filter(tenant=county.site, domain="jj.example.gov.cn", is_primary=False).exists()
    response = console_client.post(f"/sites/{pk}/domains/", {"domain": "jj.example.gov.cn"}, follow=True)
    assert "已被使用" in response.content.decode()
    response = console_client.post(f"/sites/{pk}/domains/change/", {"domain": county.host, "op": "remove"}, follow=True)
    assert "不能删除主域名" in response.content.decode()
    console_client.post(f"/sites/{pk}/domains/change/", {"domain": "jj.example.gov.cn", "op": "primary"})
    assert county.site.primary_domain().domain == "jj.example.gov.cn"
    actions = list(AuditEvent.objects.filter(site=county.site).values_list("action", flat=True))
    assert {"suspend_site", "resume_site", "add_domain", "set_primary_domain"} <= set(actions)


def test_console_state_changes_need_post(console_client, county):
    page = console_client.get(f"/sites/{county.site.pk}/suspend/")
    assert page.status_code == 200 and "确认暂停" in page.content.decode(), "a GET shows the confirmation"
    assert GovSite.objects.get(pk=county.site.pk).status == "active"


def test_an_unknown_site_in_the_console_is_a_404_page_not_a_crash(console_client):
    # Wagtail's redirect middleware looks 404s up in its redirects table, which the public schema lacks.
    response = console_client.get("/sites/999999/")
    assert response.status_code == 404


def test_the_site_list_filters_and_exports(console_client, fixture_sites, county):
    with schema_context(county.schema):
        ArticleFactory(title="站点列表测试稿件")
    below_city = console_client.get("/", {"parent": "510100"}).content.decode()
    assert "锦江区" in below_city and "春熙路街道" in below_city and "四川省</a>" not in below_city
    townships = console_client.get("/", {"level": "township"}).content.decode()
    assert "春熙路街道" in townships and "锦江区</a>" not in townships
    assert "没有符合条件的站点" in console_client.get("/", {"status": "archived"}).content.decode()
    assert console_client.get("/", {"status": "nonsense", "parent": "x" * 40}).status_code == 200

    export = console_client.get("/", {"parent": "510104", "format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["站点", "级别", "区划代码"]
    by_code = {row[2]: row for row in rows[1:]}
    assert set(by_code) == {"510104", "510104001"}
    county_row = by_code["510104"]
    assert county_row[4] == "510100" and county_row[6] == "jinjiang.chengdu.localhost"
    assert int(county_row[10]) >= 1 and county_row[9]  # published items and the last publication
    exported = AuditEvent.objects.get(action=AuditAction.EXPORT_SITE_LIST)
    assert exported.detail == {"rows": 2, "filters": {"parent": "510104"}} and exported.actor_label == "console-admin"


def test_the_overview_shows_each_sites_accounts_and_size(console_client, county, township):
    from io import StringIO

    from django.core.management import call_command

    from tenants.models import SiteStats

    call_command("refresh_site_stats", stdout=StringIO())
    stats = SiteStats.objects.get(site=county.site)
    assert stats.active_accounts == 1 and stats.accounts == 1  # the site administrator
    assert stats.database_bytes > 100_000, "a site's schema has tables and indexes"
    page = console_client.get("/").content.decode()
    assert "在用账号" in page and "最近一次" in page
    rows = console_client.get("/?format=csv").content.decode("utf-8-sig").splitlines()
    header = rows[0].split(",")
    county_row = next(r.split(",") for r in rows if r.startswith("锦江区,"))
    assert county_row[header.index("在用账号")] == "1"
    assert float(county_row[header.index("数据库（MB）")]) > 0.1

    # The site's own page counts again, at once: a new account shows without waiting for the timer.
    from tenants import actions

    actions.create_account(township.site, username="bianji", name="", email="", group="编辑",
                                 acting_user=None)
    detail = console_client.get(f"/sites/{township.site.pk}/").content.decode()
    assert "在用 2 个，共 2 个" in detail


def test_counting_survives_a_site_whose_schema_is_unreadable(console_client, county):
    from django.db import connection

    from tenants import site_stats
    from tenants.models import SiteStats

    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{county.schema}" RENAME TO "broken_for_test"')
    try:
        assert site_stats.refresh() >= 4
        assert SiteStats.objects.get(site=county.site).accounts is None
        assert console_client.get("/").status_code == 200
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER SCHEMA "broken_for_test" RENAME TO "{county.schema}"')
