"""Password rules (tenants/passwords.py), driven through a site admin's own account page in Wagtail."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from tenants.models import AuditAction, AuditEvent


class FormValues(HTMLParser):
    """What a browser would send back from a page's form: every named input's and select's current value."""

    def __init__(self):
        super().__init__()
        self.values, self._select = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values[attrs["name"]] = attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and ("selected" in attrs or self._select not in self.values):
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def change(client, old, new):
    """Wagtail's account page, its other settings sent back as they are, with a new password."""
    parser = FormValues()
    parser.feed(client.get("/admin/account/").content.decode())
    return client.post("/admin/account/", {
        # Wagtail asks for a surname and an e-mail address on the same page.
        **parser.values, "name_email-last_name": "锦江", "name_email-email": "admin@jinjiang.example.gov.cn",
        "password-old_password": old, "password-new_password1": new, "password-new_password2": new,
    })


def refused(response, message):
    page = response.content.decode()
    return response.status_code == 200 and message in page


def test_weak_common_and_reused_passwords_are_refused_in_chinese(county):
    started = timezone.now()
    client = county.admin_client()
    assert refused(change(client, county.password, "Admin@123456"), "密码过于常见")
    assert refused(change(client, county.password, "Woaini1314520!"), "密码过于常见")
    assert refused(change(client, county.password, "zhangsanfeng1"), "至少 3 种")
    assert refused(change(client, county.password, "Short1!"), "密码太短：至少需要 12 个字符")

    first, second = "Tq7#mZ2!rL9x", "Lu-ming-shan-9X"
    assert change(client, county.password, first).status_code == 302
    assert change(client, first, second).status_code == 302
    assert refused(change(client, second, first), "不能使用最近 5 次用过的密码")
    assert change(client, second, "Pw-kept-apart-42").status_code == 302
    changes = AuditEvent.objects.filter(action=AuditAction.CHANGE_PASSWORD, site=county.site, created_at__gte=started)
    assert changes.count() == 3 and {e.actor_label for e in changes} == {"admin"}
    assert {e.source for e in changes} == {"127.0.0.1"}, "from the address of the request"


@pytest.mark.parametrize("password", [
    "1qaz2wsx3EDC", "P@ssw0rd2026!", "Zhengfu2026!!", "Sichuan@2026", "Aa123456789.", "Qwer!2345678",
])
def test_common_chinese_patterns_are_refused(password):
    with pytest.raises(ValidationError, match=r"密码过于常见|这个密码太常见了"):
        validate_password(password)


@pytest.mark.parametrize("password", ["Tq7#mZ2!rL9x", "lu-ming-shan-9X", "Jinjiang_Wtfk93", "青城山-Dujiang-2026"])
def test_strong_passwords_pass(password):
    validate_password(password)


def test_an_expired_password_is_changed_at_the_next_login_when_expiry_is_on(county, settings):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_tenants.utils import schema_context

    with schema_context(county.schema):
        user = get_user_model().objects.create_user("laomima", password="Tq7#mZ2!rL9x")
        user.groups.add(Group.objects.get(name="编辑"))
        get_user_model().objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=100))

    def login():
        client = county.client()
        assert client.post("/admin/login/", {"username": "laomima", "password": "Tq7#mZ2!rL9x"}).status_code == 302
        return client

    assert login().get("/admin/").status_code == 200, "expiry is off by default"
    settings.PASSWORD_EXPIRY_DAYS = 90
    client = login()
    assert client.get("/admin/pages/")["Location"] == "/admin/password/"
    assert "您的密码已使用超过 90 天" in client.get("/admin/password/").content.decode()
    done = client.post("/admin/password/", {"old_password": "Tq7#mZ2!rL9x", "new_password1": "Lu-ming-shan-9X",
                                            "new_password2": "Lu-ming-shan-9X"})
    assert done.status_code == 302 and client.get("/admin/").status_code == 200
    fresh = county.client()
    assert fresh.post("/admin/login/", {"username": "laomima", "password": "Lu-ming-shan-9X"}).status_code == 302
    assert fresh.get("/admin/").status_code == 200, "the new password is counted from its change"
