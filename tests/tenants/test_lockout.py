"""Login lockout: five wrong passwords lock one account from every address, in its own site only;
one address's failures at many accounts are throttled; every event is in the platform's audit trail."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants import actions
from tenants.models import AuditAction, AuditEvent
from tests.console.test_access import staff


def wrong(client, path="/admin/login/", username="admin"):
    return client.post(path, {"username": username, "password": "wrong-password"})


@pytest.fixture
def behind_nginx(settings):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"  # production: the address nginx saw


def test_a_spray_from_many_addresses_locks_the_account_in_its_own_site_only(county, city, behind_nginx):
    started = timezone.now()
    with schema_context(county.schema):
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username="admin").update(email="admin@jinjiang.example.gov.cn")
    for n in range(4):
        assert wrong(county.client(HTTP_X_REAL_IP=f"203.0.113.{n + 1}")).status_code == 200  # the form again
    locked = wrong(county.client(HTTP_X_REAL_IP="203.0.113.5"))
    page = locked.content.decode()
    assert locked.status_code == 429 and "登录已暂时锁定" in page and "15 分钟" in page
    # Locked from everywhere, the right password included: that is what stops a spray.
    editor = county.client(HTTP_X_REAL_IP="198.51.100.20")
    assert editor.post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 429
    # "admin" of another site is another account.
    other_site = city.client(HTTP_X_REAL_IP="203.0.113.1")
    assert other_site.post("/admin/login/", {"username": "admin", "password": city.password}).status_code == 302

    notices = [m for m in mail.outbox if "账号 admin 已被锁定" in m.subject]
    assert len(notices) == 1, "told once, not at every further attempt"
    assert notices[0].to == ["admin@jinjiang.example.gov.cn"] and "锦江区人民政府网站后台" in notices[0].body

    trail = AuditEvent.objects.filter(site=county.site, action__in=[AuditAction.LOGIN_FAILED, AuditAction.LOCKED_OUT],
                                      created_at__gte=started)
    failed = trail.filter(action=AuditAction.LOGIN_FAILED)
    assert sorted(failed.values_list("source", flat=True)) == [f"203.0.113.{n}" for n in range(1, 6)]
    assert {e.detail["username"] for e in failed} == {"admin"} and {e.actor_label for e in failed} == {"admin"}
    assert trail.filter(action=AuditAction.LOCKED_OUT, source="198.51.100.20").exists()
    assert AuditEvent.objects.filter(site=city.site, action=AuditAction.LOGIN, actor_label="admin",
                                     created_at__gte=started).exists()


def test_an_administrator_lifts_a_lockout_from_the_console_and_it_is_audited(county, security_client, behind_nginx):
    for n in range(5):
        wrong(county.client(HTTP_X_REAL_IP=f"203.0.113.{n + 1}"))
    listing = security_client.get(f"/sites/{county.site.pk}/accounts/").content.decode()
    assert "登录已锁定" in listing and "解除 admin 的登录锁定" in listing

    response = security_client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "unlock"}, follow=True)
    assert "已解除账号 admin 的登录锁定" in response.content.decode()
    assert "登录已锁定" not in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.UNLOCK_LOGIN)
    assert (event.site, event.actor_label, event.detail["username"]) == (county.site, "anquan-admin", "admin")
    editor = county.client(HTTP_X_REAL_IP="198.51.100.20")
    assert editor.post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 302

    again = security_client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "unlock"}, follow=True)
    assert "账号 admin 没有被锁定" in again.content.decode()
    nobody = security_client.post(f"/sites/{county.site.pk}/accounts/nobody/", {"op": "unlock"}, follow=True)
    assert nobody.status_code == 200 and "没有账号 nobody" in nobody.content.decode()


def test_one_address_trying_many_accounts_is_throttled_across_sites(county, city, behind_nginx, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    attacker = "192.0.2.77"
    for client, username in [(county, "editor1"), (county, "admin"), (city, "admin")]:
        assert wrong(client.client(HTTP_X_REAL_IP=attacker), username=username).status_code == 200
    # Budget spent: the next login from that address is refused before any password is checked,
    # whatever the account, in any site, and without counting against the account.
    right = {"username": "admin", "password": city.password}
    refused = city.client(HTTP_X_REAL_IP=attacker).post("/admin/login/", right)
    assert refused.status_code == 429 and "登录已暂时锁定" in refused.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, source=attacker, detail__locked="address").exists()
    # Another address is not affected, and the account is not locked.
    ok = city.client(HTTP_X_REAL_IP="198.51.100.21").post("/admin/login/", right)
    assert ok.status_code == 302
    assert not mail.outbox, "an address throttle tells no account owner: no account was locked"


def test_the_console_locks_out_too_and_records_logins_and_logouts(platform_admin):
    started = timezone.now()  # the trail also holds what committed tests (the browser's) did
    client = Client(HTTP_HOST="localhost")
    for _ in range(5):
        response = wrong(client, "/login/", "console-admin")
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()
    assert client.post("/login/", {"username": "console-admin", "password": "console-pass-1234"}).status_code == 429
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, site=None, created_at__gte=started)
    assert failures.filter(detail__where="控制台").count() == 5

    actions.unlock_login(None, "console-admin", acting_user=None, source="cli:tests")
    assert client.post("/login/", {"username": "console-admin", "password": "console-pass-1234"}).status_code == 302
    client.post("/logout/")
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, created_at__gte=started)
    assert login.actor == platform_admin and login.site is None and login.source == "127.0.0.1"
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=platform_admin).exists()


def test_a_site_login_and_logout_are_in_the_platform_trail(county):
    started = timezone.now()
    staff("not-a-site-user")  # a console account of the same id must never be linked to a site login
    client = county.client()
    assert client.post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 302
    client.post("/admin/logout/")
    events = AuditEvent.objects.filter(site=county.site, action__in=[AuditAction.LOGIN, AuditAction.LOGOUT],
                                       created_at__gte=started)
    assert sorted(events.values_list("action", flat=True)) == ["login", "logout"]
    assert {e.actor_id for e in events} == {None} and {e.actor_label for e in events} == {"admin"}
    assert {e.detail["where"] for e in events} == {"站点后台"}
