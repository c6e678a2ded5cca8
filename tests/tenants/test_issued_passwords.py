"""A password the console issues must be replaced by its owner at the first login, on the console and in a site."""

from django.test import Client

from tenants import actions, staff_roles
from tenants.models import AuditAction, AuditEvent, PasswordChangeRequired
from tests.two_factor import without_an_app


def change(client, path, old, new):
    return client.post(path, {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_new_site_account_must_choose_its_own_password_before_anything_else(county, security_client):
    created = security_client.post(f"/sites/{county.site.pk}/accounts/", {
        "username": "xiaowang", "name": "小王", "email": "xw@example.gov.cn", "group": "编辑",
    })
    issued = created.context["password"]
    editor = county.client()
    assert editor.post("/admin/login/", {"username": "xiaowang", "password": issued}).status_code == 302
    for path in ("/admin/", "/admin/pages/", "/admin/account/"):
        response = editor.get(path)
        assert response.status_code == 302 and response["Location"] == "/admin/password/", path
    page = editor.get("/admin/password/").content.decode()
    assert "您的密码由管理员发放或重置" in page and "网站后台" in page

    weak = change(editor, "/admin/password/", issued, "Woaini1314520!")
    assert weak.status_code == 200 and "密码过于常见" in weak.content.decode()
    done = change(editor, "/admin/password/", issued, "Tq7#mZ2!rL9x")
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert editor.get("/admin/").status_code == 200, "free to work, and still signed in"
    assert not PasswordChangeRequired.objects.filter(username="xiaowang").exists()
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_PASSWORD, site=county.site,
                                     actor_label="xiaowang").exists()

    # A reset from the console: the next login is held to the page again.
    actions.reset_password(county.site, "xiaowang", acting_user=None)
    reset = PasswordChangeRequired.objects.get(username="xiaowang")
    assert reset.reason == "reset" and reset.schema_name == county.schema


def test_a_new_sites_administrator_is_held_to_the_password_page(county):
    """The provisioned admin's initial password was issued too (the fixture site changed it already)."""
    PasswordChangeRequired.objects.create(schema_name=county.schema, username="admin", reason="issued")
    without_an_app(county.schema, "admin")  # a new site's administrator has none yet
    client = county.client()
    client.post("/admin/login/", {"username": "admin", "password": county.password})
    assert client.get("/admin/pages/")["Location"] == "/admin/password/"
    assert client.post("/admin/logout/").status_code == 302, "logging out is allowed"


def test_a_provisioned_site_requires_its_administrator_to_change_the_password(city):
    result = actions.provision_site(
        name="新都区", level="county", parent=city.site, region_code="510114", site_code="5101140001",
        domains=["xindu.example.localhost"], acting_user=None,
    )
    assert PasswordChangeRequired.objects.filter(schema_name=result.site.schema_name, username="admin").exists()


def test_the_console_holds_an_issued_password_too(db):
    password = actions.create_staff_account("xinguanliyuan", role=staff_roles.SYSTEM, acting_user=None)
    client = Client(HTTP_HOST="localhost")
    assert client.post("/login/", {"username": "xinguanliyuan", "password": password}).status_code == 302
    assert client.get("/")["Location"] == "/password/"
    page = client.get("/password/").content.decode()
    assert "控制台" in page
    done = change(client, "/password/", password, "Lu-ming-shan-9X")
    assert done.status_code == 302 and done["Location"] == "/"
    # Then its second factor, before any other page (tests/console/test_two_factor.py).
    assert client.get("/")["Location"] == "/two-factor/?next=%2F"
