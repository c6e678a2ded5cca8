"""Provisioning: one action, a cloned schema identical to a migrated one, nothing half-made on failure."""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from tenants import actions
from tenants.actions.sites import INITIAL_PASSWORD_ITERATIONS
from tenants.models import AuditEvent, Domain, GovSite
from tenants.provisioning import template
from tenants.signals import site_provisioned
from tests.helpers import provision_committed_county, signature


def provision_county(city, *, code="510105", name="青羊区", **kwargs):
    return actions.provision_site(
        name=name, level="county", parent=city.site, region_code=code, site_code=code + "0001",
        acting_user=None, source="tests", **kwargs,
    )


def test_provision_creates_a_working_site(city):
    result = provision_county(city)
    site = result.site
    assert site.schema_name == "site_510105"
    assert schema_exists(site.schema_name)
    assert site.primary_domain().domain == "qingyang.chengdu.localhost"
    assert result.admin_username == "admin" and len(result.admin_password) >= 16

    with schema_context(site.schema_name):
        from django.contrib.auth import get_user_model
        from wagtail.models import Site

        from columns.models import ColumnPage, HomePage

        wagtail_site = Site.objects.get()
        assert wagtail_site.hostname == "qingyang.chengdu.localhost"
        assert wagtail_site.site_name == "青羊区人民政府"
        assert HomePage.objects.get().title == "青羊区人民政府"
        titles = set(ColumnPage.objects.values_list("title", flat=True))
        standard = {"信息公开", "政策文件", "新闻动态", "通知公告", "政策解读", "办事服务", "互动交流", "走进青羊"}
        assert standard <= titles
        assert all(ColumnPage.objects.values_list("is_mandated", flat=True))
        from columns.models import SiteSettings

        assert SiteSettings.for_site(wagtail_site).organiser == "青羊区人民政府办公室"
        admin = get_user_model().objects.get(username="admin")
        assert admin.check_password(result.admin_password)
        assert not admin.is_superuser
        assert set(admin.groups.values_list("name", flat=True)) == {"站点管理员"}

    event = AuditEvent.objects.get(action="provision_site", site=site)
    assert event.actor_label == "system" and event.source == "tests"


def test_cloned_schema_matches_template_exactly(city):
    site = provision_county(city).site
    cloned, tpl = signature(site.schema_name), signature(template.template_schema())
    for part in ("columns", "constraints", "indexes", "sequences", "migrations", "content_types"):
        assert cloned[part] == tpl[part], part


@pytest.mark.slow
def test_clone_and_migrate_paths_give_identical_schemas(committed_sites, city):
    """A schema made by running every migration and a cloned one agree on everything structural.

    Migrations cannot run inside the test's transaction, so the migrated site is made
    by the CLI in its own process (committed) and removed again after the test.
    """
    cloned = provision_county(city).site
    committed_sites.append("510107")
    provision_committed_county("武侯区", "510107", "--method", "migrate")
    migrated = GovSite.objects.get(region_code="510107")
    a, b = signature(cloned.schema_name), signature(migrated.schema_name)
    for part in ("columns", "constraints", "indexes", "sequences", "migrations", "content_types"):
        assert a[part] == b[part], part
    with schema_context(migrated.schema_name):
        from columns.models import HomePage

        assert HomePage.objects.get().title == "武侯区人民政府"


def test_content_type_ids_are_identical_in_every_site(fixture_sites, db):
    tables = set()
    for fixture in fixture_sites.values():
        tables.add(tuple(signature(fixture.schema)["content_types"]))
    assert len(tables) == 1
    assert len(next(iter(tables))) > 40


def test_content_type_cache_is_right_after_switching_between_public_and_sites(city, county):
    """ids differ between public and the sites; the cache must never hand one to the other."""
    from django.contrib.contenttypes.models import ContentType

    from columns.models import HomePage

    with schema_context(city.schema):
        site_id = ContentType.objects.get_for_model(HomePage).id
    public_id = ContentType.objects.get_for_model(HomePage).id
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM django_content_type WHERE app_label='columns' AND model='homepage'")
        assert public_id == cursor.fetchone()[0]
    with schema_context(county.schema):
        assert ContentType.objects.get_for_model(HomePage).id == site_id
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM django_content_type WHERE app_label='columns' AND model='homepage'")
            assert site_id == cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"region_code": "51010"}, "region_code", "6 位数字"),
        ({"region_code": "990105"}, "region_code", "省级代码"),
        ({"region_code": "510100"}, "region_code", "不是县级代码"),
        ({"region_code": "520105"}, "region_code", "不属于上级区划"),
        ({"site_code": "510105001"}, "site_code", "10 位"),
        ({"site_code": "5101060001"}, "site_code", "前 6 位"),
        ({"site_code": "5101050000"}, "site_code", "0000"),
        ({"name": ""}, "name", "请填写"),
        ({"name": "<script>"}, "name", "中文区划名称"),
    ],
)
def test_bad_registry_fields_are_refused_with_a_clear_message(city, fields, field, message):
    kwargs = {
        "name": "青羊区", "level": "county", "parent": city.site, "region_code": "510105", "site_code": "5101050001",
    }
    kwargs.update(fields)
    before = set(GovSite.objects.values_list("schema_name", flat=True))
    with pytest.raises(actions.SiteActionError) as exc:
        actions.provision_site(**kwargs, acting_user=None)
    assert any(message in m for m in exc.value.message_dict[field])
    assert set(GovSite.objects.values_list("schema_name", flat=True)) == before


def test_level_and_parent_must_fit(city, county):
    with pytest.raises(actions.SiteActionError) as exc:
        actions.provision_site(name="青羊区", level="county", parent=county.site, region_code="510105",
                               site_code="5101050001", acting_user=None)
    assert "上级不能是县级站点" in str(exc.value)
    with pytest.raises(actions.SiteActionError):
        actions.provision_site(name="成都市", level="city", parent=None, region_code="510200",
                               site_code="5102000001", acting_user=None)


def test_duplicates_are_refused(city, county):
    with pytest.raises(actions.SiteActionError, match="已有站点"):
        actions.provision_site(name="锦江区", level="county", parent=city.site, region_code="510104",
                               site_code="5101040009", acting_user=None)
    with pytest.raises(actions.SiteActionError, match="已被其他站点使用"):
        provision_county(city, domains=[county.host])
    with pytest.raises(actions.SiteActionError, match="控制台"):
        provision_county(city, domains=["localhost"])
    with pytest.raises(actions.SiteActionError, match="域名格式不正确"):
        provision_county(city, domains=["bad host!.example"])
    assert not schema_exists("site_510105")


def test_a_failed_provision_leaves_no_schema_and_no_registry_row(city):
    """An app that fails while the new site is made (its site_provisioned receiver) undoes all of it."""

    def explode(sender, site, **kwargs):
        raise RuntimeError("disk full")

    site_provisioned.connect(explode, dispatch_uid="test-explode")
    try:
        with pytest.raises(RuntimeError):
            provision_county(city)
    finally:
        site_provisioned.disconnect(dispatch_uid="test-explode")
    assert not schema_exists("site_510105")
    assert not GovSite.objects.filter(region_code="510105").exists()
    assert not Domain.objects.filter(domain="qingyang.chengdu.localhost").exists()


def test_an_orphan_schema_blocks_provisioning_cleanly(city):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "site_510105"')
    with pytest.raises(actions.SiteActionError, match="已有模式 site_510105"):
        provision_county(city)
    assert not GovSite.objects.filter(region_code="510105").exists()


def test_stale_template_is_refreshed_before_the_next_clone(city, monkeypatch):
    """When migration files change, the next provisioning migrates the template and re-captures it."""
    from tenants.models import TemplateSnapshot

    old = template.migration_fingerprint()
    monkeypatch.setattr(template, "migration_fingerprint", lambda: "changed-" + old[:20])
    site = provision_county(city).site
    assert TemplateSnapshot.objects.get().fingerprint == "changed-" + old[:20]
    assert signature(site.schema_name)["columns"] == signature(template.template_schema())["columns"]


def test_hosts_are_disambiguated_when_two_regions_share_a_name(city):
    first = provision_county(city, code="510105", name="青羊区").site
    second = provision_county(city, code="510106", name="青羊区").site
    assert first.primary_domain().domain == "qingyang.chengdu.localhost"
    assert second.primary_domain().domain == "qingyangqu.chengdu.localhost"


def test_township_hosts_hang_under_their_county(township):
    assert township.host == "chunxilu.jinjiang.chengdu.localhost"


def test_initial_password_is_rehashed_with_the_full_work_factor_at_first_login(city, settings):
    """The generated password is hashed cheaply (it is random); Django upgrades it at first login."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    result = provision_county(city)
    with schema_context(result.site.schema_name):
        stored = get_user_model().objects.get(username="admin").password
    assert stored.startswith(f"pbkdf2_sha256${INITIAL_PASSWORD_ITERATIONS}$")
    client = Client(HTTP_HOST=result.site.primary_domain().domain)
    response = client.post("/admin/login/", {"username": "admin", "password": result.admin_password})
    assert response.status_code == 302
    with schema_context(result.site.schema_name):
        upgraded = get_user_model().objects.get(username="admin").password
    assert upgraded.startswith(f"pbkdf2_sha256${PBKDF2PasswordHasher.iterations}$")
