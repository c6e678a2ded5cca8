"""Fixture sites, created once per test session and committed, used everywhere.

Like Zulip's realms: a province with a city, a county under it and a township
under that, so cross-site mistakes show up in every test that uses two of them.
Each site's administrator gets a known password for the tests: "pw-<region code>".
"""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context

from tenants import actions
from tenants.models import GovSite, SiteJob
from tests.helpers import PostgresCluster, drop_committed_site


@dataclass
class FixtureSite:
    site: GovSite
    host: str
    password: str

    @property
    def schema(self):
        return self.site.schema_name

    def client(self, **kwargs):
        return Client(HTTP_HOST=self.host, **kwargs)

    def admin_client(self, username="admin", password=None, **kwargs):
        """Signed in to the site's admin (as its administrator by default) through the login page; the
        second factor is marked passed (tests.two_factor)."""
        from tests.two_factor import mark_verified

        client = self.client(**kwargs)
        response = client.post("/admin/login/", {"username": username, "password": password or self.password})
        assert response.status_code == 302, f"{username} could not log in"
        with schema_context(self.schema):
            mark_verified(client, get_user_model().objects.get(username=username), self.schema)
        return client


FIXTURE_SITES = [
    # key, name, level, parent key, region code, site code
    ("province", "四川省", "province", None, "510000", "5100000001"),
    ("city", "成都市", "city", "province", "510100", "5101000001"),
    ("county", "锦江区", "county", "city", "510104", "5101040001"),
    ("township", "春熙路街道", "township", "county", "510104001", "5101041001"),
]


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb):
    """The test database, made for every run whatever its tests declare (pytest-django's documented override).

    pytest-django's own fixture makes it only when a collected test asks for `db` or the
    marker; here the fixture sites are committed rows that tests without either use too:
    browser and deploy tests (served by another process, so outside any test transaction)
    and `committed_db` tests (which must not run in one).
    """
    from django.test.utils import setup_databases, teardown_databases

    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, keepdb=keepdb)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(scope="session", autouse=True)
def _fresh_cache_keys():
    """This run's Redis keys (rate-limit counters above all) start empty: an earlier run of the same
    database name within the limits' window would otherwise find its citizens already throttled."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    for key in client.scan_iter(match=f"*:{settings.TEST_CACHE_KEY_PREFIX}:*", count=1000):
        client.delete(key)
    client.close()


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections_at_the_end(django_db_setup):
    """End this run's leftover database sessions before the test database is dropped.

    ORM calls made while Playwright's event loop is marked running get connections of their
    own context (asgiref's Local), which pytest-django never closes; the drop then failed with
    "being accessed by other users" and left the test database behind.
    """
    yield
    from tests.helpers import raw_connection

    with raw_connection() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def fixture_sites(django_db_setup, django_db_blocker):
    made = {}
    with django_db_blocker.unblock():
        for key, name, level, parent_key, region_code, site_code in FIXTURE_SITES:
            site = GovSite.objects.filter(region_code=region_code).first()
            if site is None:
                parent = made[parent_key].site if parent_key else None
                site = actions.provision_site(
                    name=name, level=level, parent=parent, region_code=region_code, site_code=site_code,
                    acting_user=None, source="tests",
                ).site
            password = f"pw-{region_code}"
            with schema_context(site.schema_name):
                user = get_user_model().objects.get(username="admin")
                user.set_password(password)
                user.save()
            made[key] = FixtureSite(site=site, host=site.primary_domain().domain, password=password)
        connection.set_schema_to_public()
    return made


@pytest.fixture
def province(fixture_sites, db):
    return fixture_sites["province"]


@pytest.fixture
def city(fixture_sites, db):
    return fixture_sites["city"]


@pytest.fixture
def county(fixture_sites, db):
    return fixture_sites["county"]


@pytest.fixture
def township(fixture_sites, db):
    return fixture_sites["township"]


@pytest.fixture
def committed_sites():
    """Region codes of sites another process committed; removed after the test's transaction ends.

    Request it before any database fixture so its teardown runs after the rollback
    (the test's own transaction would otherwise block the DROP SCHEMA).
    """
    codes = []
    yield codes
    for code in codes:
        drop_committed_site(code)


@pytest.fixture
def committed_db(fixture_sites, django_db_blocker):
    """Database access with no test transaction: everything the test does is committed.

    For actions that read what is committed from a connection of their own (a backup's
    snapshot). The test cleans up what it made; the fixture sites stay as they were.
    """
    with django_db_blocker.unblock():
        yield fixture_sites
        connection.set_schema_to_public()
        # Jobs the test queued (tenants.jobs) must not be run by a later test's worker.
        SiteJob.objects.all().delete()
        DBTaskResult.objects.all().delete()


@pytest.fixture(autouse=True)
def _requests_end_in_public(monkeypatch):
    """After each test-client request, continue in the public schema.

    A served request leaves the worker's connection on its site on purpose (the next
    request selects its own; see tenants/middleware.py). In a test the code after a
    request runs in the same thread and expects to be where it started.
    """
    original = Client.request

    def request(self, **kwargs):
        try:
            return original(self, **kwargs)
        finally:
            connection.set_schema_to_public()

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture(autouse=True)
def _back_to_public():
    """Every test starts and ends in the public schema, whatever the last one did."""
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def platform_admin(db):
    """The console's system administrator (sites, lifecycle, backups): most console tests act as them."""
    from tenants import staff_roles
    from tests.factories import StaffFactory

    return StaffFactory(username="console-admin", password="console-pass-1234", role=staff_roles.SYSTEM)


@pytest.fixture
def console_client(platform_admin):
    from tests.two_factor import signed_in

    return signed_in(platform_admin)


@pytest.fixture
def security_admin(db):
    """The console's security administrator (accounts, roles, lockouts, second factors)."""
    from tenants import staff_roles
    from tests.factories import StaffFactory

    return StaffFactory(username="anquan-admin", role=staff_roles.SECURITY)


@pytest.fixture
def security_client(security_admin):
    from tests.two_factor import signed_in

    return signed_in(security_admin)


@pytest.fixture
def audit_client(db):
    """Signed in as the console's audit administrator (reads and exports the trail, nothing else)."""
    from tenants import staff_roles
    from tests.factories import StaffFactory
    from tests.two_factor import signed_in

    return signed_in(StaffFactory(username="shenji-admin", role=staff_roles.AUDITOR))


@pytest.fixture
def private_postgres():
    """A PostgreSQL cluster of the test's own (initdb, a free port), to stop and start at will: never the shared one."""
    # Not pytest's tmp_path: its folders are private to the user running the tests, and the
    # cluster runs as `postgres` when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="govsites-pg-"))
    cluster = PostgresCluster(base)
    try:
        cluster.start()
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
