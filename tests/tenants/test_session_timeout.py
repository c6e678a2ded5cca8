"""Signed-in sessions end after 30 idle minutes and 8 hours after login (tenants/sessions.py), in a
site's admin and in the console, through their real login pages."""

import time

from django.test import Client
from django_tenants.utils import schema_context

from tenants.models import AuditAction, AuditEvent
from tenants.sessions import SessionTimeoutMiddleware as Timeout


def shift(client, key, seconds, site=None):
    """Move one of the session's clocks back, as if that much time had passed (a site's sessions are in its schema)."""
    with schema_context(site.schema if site else "public"):
        session = client.session
        session[key] = session.get(key, time.time()) - seconds
        session.save()


def test_an_idle_admin_session_ends_and_the_editor_is_told_why(county):
    client = county.admin_client()
    assert client.get("/admin/").status_code == 200
    shift(client, Timeout.LAST_SEEN, 29 * 60, county)
    assert client.get("/admin/").status_code == 200, "29 idle minutes: still signed in"

    shift(client, Timeout.LAST_SEEN, 31 * 60, county)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=/admin/pages/")
    login_page = client.get(response["Location"]).content.decode()
    assert "超过 30 分钟未操作，已自动退出登录" in login_page
    assert client.get("/admin/").status_code == 302, "signed out for good, not just redirected once"
    logout = AuditEvent.objects.get(action=AuditAction.LOGOUT, site=county.site, detail__reason="idle")
    assert logout.detail["reason"] == "idle" and logout.actor_label == "admin"


def test_a_busy_session_still_ends_a_working_day_after_its_login(county):
    client = county.admin_client()
    client.get("/admin/")
    shift(client, Timeout.LOGIN_AT, 8 * 3600 + 60, county)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "登录已满 8 小时" in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, site=county.site, detail__reason="absolute").exists()


def test_the_console_times_out_too_and_a_post_is_not_carried_out(platform_admin, county):
    client = Client(HTTP_HOST="localhost")
    assert client.post("/login/", {"username": "console-admin", "password": "console-pass-1234"}).status_code == 302
    client.get("/")
    shift(client, Timeout.LAST_SEEN, 31 * 60)
    response = client.post(f"/sites/{county.site.pk}/suspend/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    county.site.refresh_from_db()
    assert county.site.status == "active", "the request of a timed-out session changed nothing"


def test_a_pages_own_status_updates_do_not_keep_a_session_alive(county):
    client = county.admin_client()
    client.get("/admin/")
    shift(client, Timeout.LAST_SEEN, 25 * 60, county)
    client.get("/admin/", HTTP_X_BACKGROUND_REFRESH="1")
    shift(client, Timeout.LAST_SEEN, 6 * 60, county)
    assert client.get("/admin/").status_code == 302, "25 + 6 idle minutes, whatever the page polled"


def test_a_citizens_page_never_reads_a_session(county):
    response = county.client().get("/")
    assert response.status_code == 200 and "Cookie" not in response.get("Vary", "")
