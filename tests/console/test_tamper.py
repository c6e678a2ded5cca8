"""网页防篡改 in the console: the province sees each incident with its difference and closes it with a note
of what was done (audited); until then the site fails the 安全 veto."""

from monitoring import health, tamper
from monitoring.models import SiteHealth, TamperIncident
from tenants import staff_roles
from tenants.models import AuditAction, AuditEvent
from tests.factories import StaffFactory
from tests.two_factor import signed_in

PAGE = "<html>\n<body>\n<main>\n<h1>锦江区人民政府</h1>\n</main>\n</body>\n</html>"


def defaced(county):
    served = PAGE.replace("<h1>锦江区人民政府</h1>", "<h1>锦江区人民政府</h1>\n<p>本网站已被黑客攻陷</p>")
    return tamper.open_incident(county.site, f"http://{county.host}/", expected=tamper.Copy(200, PAGE),
                                served=tamper.Copy(200, served), restored=True)


def test_an_incident_is_shown_with_its_difference_and_closed_with_a_note(console_client, county):
    incident = defaced(county)
    health.refresh(county.site)
    assert SiteHealth.objects.get(site=county.site).indicator("tamper")["vetoed"]

    listing = console_client.get("/tamper/").content.decode()
    assert f"http://{county.host}/" in listing and "未处置" in listing
    page = console_client.get(f"/tamper/{incident.pk}/").content.decode()
    assert '<li class="added">' in page and "本网站已被黑客攻陷" in page

    refused = console_client.post(f"/tamper/{incident.pk}/", {"note": "  "})
    assert refused.status_code == 400 and "处置说明" in refused.content.decode()
    assert TamperIncident.objects.get(pk=incident.pk).is_open

    closed = console_client.post(f"/tamper/{incident.pk}/", {"note": "缓存被污染：已清除缓存，更换了前端服务器的密钥"})
    assert closed.status_code == 302
    incident.refresh_from_db()
    assert not incident.is_open and incident.closed_by == "console-admin"
    event = AuditEvent.objects.get(action=AuditAction.CLOSE_TAMPER_INCIDENT, detail__incident=incident.pk)
    assert event.site_id == county.site.pk and "缓存被污染" in event.detail["note"]
    after = SiteHealth.objects.get(site=county.site).indicator("tamper")
    assert not after["vetoed"], "the veto stays after the incident was closed"
    again = console_client.post(f"/tamper/{incident.pk}/", {"note": "再次关闭"})
    assert again.status_code == 400 and "已处置" in again.content.decode()


def test_a_supervisor_sees_incidents_but_cannot_close_them(county):
    incident = defaced(county)
    client = signed_in(StaffFactory(username="jiandu-tamper", role=staff_roles.SUPERVISOR))
    assert client.get(f"/tamper/{incident.pk}/").status_code == 200
    assert client.post(f"/tamper/{incident.pk}/", {"note": "我来关闭"}).status_code == 403
    assert TamperIncident.objects.get(pk=incident.pk).is_open
