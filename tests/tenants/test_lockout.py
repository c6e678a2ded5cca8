"""Login lockout: five wrong passwords lock one account from one address, in its own site only."""

from django.test import Client


def wrong(client, path="/admin/login/", username="admin"):
    return client.post(path, {"username": username, "password": "wrong-password"})


def test_five_failures_lock_the_account_from_that_address_in_that_site_only(county, city, settings):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"  # production: the address nginx saw
    attacker = county.client(HTTP_X_REAL_IP="203.0.113.66")
    for _ in range(4):
        assert wrong(attacker).status_code == 200  # the form again, with its error
    locked = wrong(attacker)
    page = locked.content.decode()
    assert locked.status_code == 429 and "登录已暂时锁定" in page and "15 分钟" in page
    # Even the right password is refused from there now.
    right = attacker.post("/admin/login/", {"username": "admin", "password": county.password})
    assert right.status_code == 429
    # The editor at their own desk still signs in; and "admin" of another site is not touched.
    editor = county.client(HTTP_X_REAL_IP="198.51.100.20")
    assert editor.post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 302
    other_site = city.client(HTTP_X_REAL_IP="203.0.113.66")
    assert other_site.post("/admin/login/", {"username": "admin", "password": city.password}).status_code == 302


def test_the_console_locks_out_too(platform_admin):
    client = Client(HTTP_HOST="localhost")
    for _ in range(5):
        response = wrong(client, "/login/", "console-admin")
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()
    assert client.post("/login/", {"username": "console-admin", "password": "console-pass-1234"}).status_code == 429
