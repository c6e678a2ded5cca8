"""Spare schemas: clones made ahead of time that provisioning renames instead of cloning."""

import pytest
from django_tenants.utils import schema_context, schema_exists

from tenants import actions
from tenants.models import AuditEvent, SpareSchema
from tenants.provisioning import template
from tests.helpers import raw_connection, run_manage, signature

STRUCTURE = ("columns", "constraints", "indexes", "sequences", "migrations", "content_types")


@pytest.fixture
def committed_spares():
    """Spares made by the CLI (committed); all dropped after the test's transaction ended."""
    yield
    with raw_connection() as conn:
        for (name,) in conn.execute("SELECT schema_name FROM tenants_spareschema").fetchall():
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        conn.execute("DELETE FROM tenants_spareschema")


def provision_county(city, code="510105", name="青羊区"):
    return actions.provision_site(
        name=name,
        level="county",
        parent=city.site,
        region_code=code,
        site_code=code + "0001",
        acting_user=None,
        source="tests",
    )


def test_provisioning_takes_a_ready_spare_and_the_site_is_complete(committed_spares, city):
    out = run_manage("refill_spare_schemas", "--count", "2").stdout
    assert "新建 2 个" in out
    spare_names = set(SpareSchema.objects.values_list("schema_name", flat=True))
    assert len(spare_names) == 2 and all(schema_exists(name) for name in spare_names)

    site = provision_county(city).site

    assert SpareSchema.objects.count() == 1
    left = SpareSchema.objects.get().schema_name
    taken = (spare_names - {left}).pop()
    assert not schema_exists(taken), "the spare was renamed to the site's schema"
    cloned, tpl = signature(site.schema_name), signature(template.template_schema())
    for part in STRUCTURE:
        assert cloned[part] == tpl[part], part
    with schema_context(site.schema_name):
        from django.contrib.auth import get_user_model
        from wagtail.models import Site

        from columns.models import HomePage

        assert HomePage.objects.get().title == "青羊区人民政府"
        assert Site.objects.get().hostname == "qingyang.chengdu.localhost"
        assert get_user_model().objects.filter(username=actions.SITE_ADMIN_USERNAME).exists()
    event = AuditEvent.objects.get(action="provision_site", site=site)
    assert event.detail["from_spare"] is True


def test_without_a_spare_provisioning_clones_directly(city):
    assert not SpareSchema.objects.exists()
    site = provision_county(city).site
    assert signature(site.schema_name)["columns"] == signature(template.template_schema())["columns"]
    assert AuditEvent.objects.get(action="provision_site", site=site).detail["from_spare"] is False


def test_spares_of_an_older_template_are_never_taken_and_dropped_at_the_next_refill(committed_spares, city):
    run_manage("refill_spare_schemas", "--count", "1")
    with raw_connection() as conn:
        old_name = conn.execute("SELECT schema_name FROM tenants_spareschema").fetchone()[0]
        conn.execute("UPDATE tenants_spareschema SET fingerprint = 'from-older-migrations'")

    site = provision_county(city).site
    assert AuditEvent.objects.get(action="provision_site", site=site).detail["from_spare"] is False
    assert schema_exists(old_name)

    # The refill runs in its own process; the test's open transaction holds no lock on the old spare.
    out = run_manage("refill_spare_schemas", "--count", "1").stdout
    assert "新建 1 个" in out
    with raw_connection() as conn:
        rows = conn.execute("SELECT schema_name, fingerprint FROM tenants_spareschema").fetchall()
        still_there = conn.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [old_name]
        ).fetchone()
    assert len(rows) == 1 and rows[0][0] != old_name and rows[0][1] == template.migration_fingerprint()
    assert still_there is None


def test_refill_refuses_a_bad_count_clearly():
    result = run_manage("refill_spare_schemas", "--count", "-1", check=False)
    assert result.returncode != 0
    assert "--count 应在 0 到 100 之间" in result.stderr
    assert "Traceback" not in result.stderr
