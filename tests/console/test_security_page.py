"""The console's 安全 page: locked accounts, administrators without a second factor, stale accounts, recent
failures by site and the audit chain's last verification, for the security administrator (who acts on
them from there) and the audit administrator (who reads)."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants import staff_roles
from tenants.models import AuditAction, AuditEvent
from tests.console.test_access import refused, staff
from tests.tenants.test_audit_chain import behind_the_triggers_back
from tests.tenants.test_lockout import behind_nginx, wrong  # noqa: F401 (behind_nginx is a fixture)
from tests.two_factor import without_an_app


def test_the_security_administrator_sees_and_handles_what_needs_attention(county, city, security_client,
                                                                           behind_nginx):  # noqa: F811
    started = timezone.now()
    without_an_app(city.schema, "admin")
    with schema_context(county.schema):
        User = get_user_model()
        User.objects.create_user("jiuzhanghao", password="Tq7#mZ2!rL9x")
        User.objects.filter(username="jiuzhanghao").update(last_login=started - timedelta(days=120))
    for n in range(5):  # a spray at the county's administrator from five addresses
        wrong(county.client(HTTP_X_REAL_IP=f"203.0.113.{n + 1}"))
    wrong(city.client(HTTP_X_REAL_IP="203.0.113.50"))

    page = security_client.get("/security/").content.decode()
    assert "登录已锁定的账号（1）" in page and "解除 admin 的登录锁定" in page
    assert "尚未设置两步验证的管理员" in page and "成都市" in page
    assert "jiuzhanghao" in page and "停用 jiuzhanghao" in page
    assert "锦江区" in page and "还没有校验过" in page
    failures = page[page.index("最近 24 小时的登录失败"):]
    assert "<td>5</td>" in failures and "<td>1</td>" in failures

    unlocked = security_client.post(f"/sites/{county.site.pk}/accounts/admin/", {"op": "unlock", "next": "/security/"})
    assert unlocked["Location"] == "/security/"
    assert "登录已锁定的账号（0）" in security_client.get("/security/").content.decode()
    disabled = security_client.post(f"/sites/{county.site.pk}/accounts/jiuzhanghao/",
                                    {"op": "disable", "next": "/security/"})
    assert disabled["Location"] == "/security/"
    with schema_context(county.schema):
        assert not User.objects.get(username="jiuzhanghao").is_active
    assert "停用 jiuzhanghao" not in security_client.get("/security/").content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DISABLE_SITE_ACCOUNT, created_at__gte=started).exists()
    # `next` elsewhere is ignored.
    again = security_client.post(f"/sites/{county.site.pk}/accounts/jiuzhanghao/",
                                 {"op": "enable", "next": "https://evil.example.com/"})
    assert again["Location"] == f"/sites/{county.site.pk}/accounts/"


def test_the_last_verification_of_the_chain_is_shown_broken_or_not(db, audit_client):
    call_command("verify_audit", stdout=io.StringIO())
    page = audit_client.get("/security/").content.decode()
    main = page.split("<main")[1].split("</main>")[0]
    assert "条已封存的记录完好" in main and "<button" not in main, "the auditor reads only"
    call_command("seal_audit", stdout=io.StringIO())
    first = AuditEvent.objects.filter(chain_seq__isnull=False).order_by("chain_seq").first()
    behind_the_triggers_back("UPDATE tenants_auditevent SET source = '10.6.6.6' WHERE id = %s", [first.pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    page = audit_client.get("/security/").content.decode()
    assert "发现审计记录被改动" in page and f"封存序号 {first.chain_seq}" in page


@pytest.mark.parametrize("role", [staff_roles.SYSTEM, staff_roles.OPERATOR, staff_roles.SUPERVISOR])
def test_only_the_security_and_audit_administrators_see_it(db, role):
    _, client = staff(f"security-{role}", role)
    assert refused(client.get("/security/"))
