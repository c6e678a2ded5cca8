"""The console and sites' /admin/ answer only to ADMIN_ALLOWED_NETWORKS when it is set; public pages to everyone."""

from ipaddress import ip_network

import pytest
from django.test import Client


@pytest.fixture
def intranet_only(settings):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    settings.ADMIN_ALLOWED_NETWORKS = [ip_network("10.0.0.0/8"), ip_network("2001:db8::/32")]


def test_a_sites_admin_answers_the_intranet_only(county, intranet_only):
    outside = county.client(HTTP_X_REAL_IP="203.0.113.5")
    refused = outside.get("/admin/login/")
    assert refused.status_code == 403 and "只能从单位的政务内网访问" in refused.content.decode()
    assert "203.0.113.5" in refused.content.decode() and refused["Cache-Control"] == "no-store"
    assert outside.post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 403
    assert outside.get("/").status_code == 200, "the public site answers everyone"
    inside = county.client(HTTP_X_REAL_IP="10.20.30.40")
    assert inside.post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 302
    assert county.client(HTTP_X_REAL_IP="2001:db8::7").get("/admin/login/").status_code == 200


def test_the_console_answers_the_intranet_only_but_its_health_check_everyone(platform_admin, intranet_only):
    outside = Client(HTTP_HOST="localhost", HTTP_X_REAL_IP="198.51.100.1")
    assert outside.get("/login/").status_code == 403
    assert outside.get("/-/health").status_code in (200, 503)
    assert Client(HTTP_HOST="localhost", HTTP_X_REAL_IP="10.0.0.9").get("/login/").status_code == 200


def test_unset_means_any_address(county, settings):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    assert county.client(HTTP_X_REAL_IP="203.0.113.5").get("/admin/login/").status_code == 200
