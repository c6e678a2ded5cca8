"""Malformed input from citizens, editors and proxies is refused with a clear answer, never a 500."""

import pytest
from django_tenants.utils import schema_context

from interaction.models import Message
from tests.interaction.test_inbox import draftail, new_message


@pytest.mark.parametrize("reply", ["{not json", '{"blocks": "x"}', "[]", '{"blocks": [{"text": 5}]}', "null"])
def test_a_malformed_reply_from_the_editor_is_refused_and_nothing_changes(county, reply):
    message = new_message(county)
    response = county.admin_client().post(f"/admin/messages/{message.pk}/", {"action": "reply", "reply": reply})
    assert response.status_code == 400
    with schema_context(county.schema):
        assert Message.objects.get(pk=message.pk).reply == ""


def test_a_well_formed_reply_still_goes_through(county):
    message = new_message(county)
    response = county.admin_client().post(f"/admin/messages/{message.pk}/",
                                          {"action": "reply", "reply": draftail("已答复。")})
    assert response.status_code == 302


@pytest.mark.parametrize("real_ip", [None, "", "not-an-address", "999.1.1.1", "1.2.3.4, 5.6.7.8"])
def test_a_request_without_a_usable_client_address_is_served(county, settings, real_ip):
    """Production reads the address nginx sets (X-Real-IP); a request that bypassed nginx has none."""
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    headers = {} if real_ip is None else {"X-Real-IP": real_ip}
    client = county.client()
    form = client.get("/hdjl/ldxx/", headers=headers)
    assert form.status_code == 200
    response = client.post("/hdjl/ldxx/", {
        "category": "enquiry", "subject": "没有地址的请求", "phone": "028-12345678",
        "body": "孩子刚出生，想给孩子办理城乡居民医保，需要哪些材料？",
        "captcha_0": "k", "captcha_1": "PASSED",
    }, headers=headers)
    assert response.status_code == 200 and "tracking-code" in response.text
    assert client.post("/admin/login/", {"username": "admin", "password": "wrong"}, headers=headers).status_code == 200
