"""The production configuration, booted on loopback: nginx (TLS) → Varnish → gunicorn → PostgreSQL, Redis.

deploy/nginx/govsites.conf and deploy/varnish/default.vcl run as shipped, but for the
values on their marked lines (ports, certificate, folders); gunicorn runs
deploy/gunicorn/gunicorn.conf.py with config.settings.production and its environment.
"""

import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import urllib3
from django_tenants.utils import schema_context

from columns.models import ColumnPage
from tests.helpers import ROOT, EdgeEditor, free_port, gunicorn_server, raw_connection, test_env, varnish_server

pytestmark = pytest.mark.slow
CONSOLE = "console.smoke.test"
NGINX_CONF = ROOT / "deploy" / "nginx" / "govsites.conf"
# (marker, line as shipped, with the smoke test's value in {})
MARKED = {
    "edge": "    server 127.0.0.1:6081;",
    "http": "    listen 80 default_server;",
    "https": "    listen 443 ssl http2 default_server;",
    "certificate": "    ssl_certificate /etc/govsites/tls/fullchain.pem;",
    "key": "    ssl_certificate_key /etc/govsites/tls/privkey.pem;",
    "static": "        alias /srv/govsites/static/;",
    "media": "        alias /srv/govsites/media/;",
}
NGINX_MAIN = """
{user}
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/nginx-access.log;
    client_body_temp_path {work}/tmp;
    proxy_temp_path {work}/tmp;
    fastcgi_temp_path {work}/tmp;
    uwsgi_temp_path {work}/tmp;
    scgi_temp_path {work}/tmp;
    include {work}/govsites.conf;
}}
"""


def production_env(work, edge_port):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "smoke-test-only-" + "x" * 50,
        "PGPASSWORD": "unused-trust-auth",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "PLATFORM_CONSOLE_HOSTS": CONSOLE,
        "PLATFORM_DOMAIN_SUFFIX": "smoke.test",
        "WAGTAILADMIN_BASE_URL": f"https://{CONSOLE}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "EDGE_CACHE_PURGE_LOCATIONS": f"http://127.0.0.1:{edge_port}",
    }


def nginx_conf(work, ports):
    text = NGINX_CONF.read_text()
    values = {
        "edge": f"    server 127.0.0.1:{ports['edge']};",
        "http": f"    listen 127.0.0.1:{ports['http']} default_server;",
        "https": f"    listen 127.0.0.1:{ports['https']} ssl http2 default_server;",
        "certificate": f"    ssl_certificate {work}/tls.crt;", "key": f"    ssl_certificate_key {work}/tls.key;",
        "static": f"        alias {work}/static/;", "media": f"        alias {work}/media/;",
    }
    for marker, shipped in MARKED.items():
        line = f"{shipped}  # smoke: {marker}"
        assert line in text, f"deploy/nginx/govsites.conf no longer has the line the smoke test replaces: {line}"
        text = text.replace(line, values[marker])
    (work / "govsites.conf").write_text(text)
    (work / "tmp").mkdir(exist_ok=True)
    main = work / "nginx.conf"
    # Run as root (CI), nginx's workers would be "nobody", who cannot enter pytest's private temp folders.
    user = "user root;" if os.geteuid() == 0 else ""
    main.write_text(NGINX_MAIN.format(work=work, user=user))
    return main


@pytest.fixture(scope="module")
def production_password(fixture_sites):
    """The county admin's password hashed as production hashes (the test settings use MD5 for speed).

    Committed for the module, the test hash put back afterwards.
    """
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    county = fixture_sites["county"]
    table = f'"{county.schema}".auth_user'
    with raw_connection() as conn:
        (test_hash,) = conn.execute(f"SELECT password FROM {table} WHERE username = 'admin'").fetchone()  # noqa: S608
        hashed = PBKDF2PasswordHasher().encode(county.password, "smoketestsalt", iterations=1000)
        conn.execute(f"UPDATE {table} SET password = %s WHERE username = 'admin'", [hashed])  # noqa: S608
    yield
    with raw_connection() as conn:
        conn.execute(f"UPDATE {table} SET password = %s WHERE username = 'admin'", [test_hash])  # noqa: S608


@pytest.fixture(scope="module")
def stack(fixture_sites, production_password, django_db_blocker, tmp_path_factory):
    """{name: port} of the running stack: https, http (nginx), edge (Varnish)."""
    work = tmp_path_factory.mktemp("smoke")
    ports = {"edge": free_port(), "http": free_port(), "https": free_port()}
    env = test_env() | production_env(work, ports["edge"])
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=govsites-smoke",
         "-keyout", str(work / "tls.key"), "-out", str(work / "tls.crt")],
        check=True, capture_output=True, timeout=60,
    )
    main = nginx_conf(work, ports)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    checked = subprocess.run([nginx, "-t", "-c", str(main), "-p", str(work)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    with django_db_blocker.unblock(), gunicorn_server(
        work / "gunicorn.log", console_host=CONSOLE, **production_env(work, ports["edge"]),
    ) as app, varnish_server(work / "varnish", app.port, port=ports["edge"]):
        with open(work / "nginx.log", "wb") as log:
            front = subprocess.Popen([nginx, "-c", str(main), "-p", str(work)], stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for(ports["https"])
            _wait_for_the_whole_path(ports["https"])
            yield ports | {"work": work}
        finally:
            front.terminate()
            front.wait(timeout=10)


def _wait_for(port):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def _wait_for_the_whole_path(port):
    """Until a request through nginx, Varnish and gunicorn is answered by the app: Varnish's child may
    still be starting when its port first accepts, and its 503 would then be the first test's answer."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, _headers, _body = get(port, CONSOLE, "/login/")
        if status == 200:
            return
        time.sleep(0.2)
    raise AssertionError(f"the console's login page never answered through nginx and Varnish (last {status})")


def get(port, host, path="/", *, method="GET", tls=True):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = (http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context) if tls
            else http.client.HTTPConnection("127.0.0.1", port, timeout=30))
    try:
        conn.request(method, path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_two_sites_are_served_over_tls_with_security_headers_and_from_the_edge(stack, county, city):
    for site, name in ((county, "锦江区人民政府"), (city, "成都市人民政府")):
        status, headers, body = get(stack["https"], site.host)
        assert status == 200 and name in body.decode()
        assert headers["strict-transport-security"].startswith("max-age=31536000")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert "script-src 'self' 'sha256-" in headers["content-security-policy"]
        assert "camera=()" in headers["permissions-policy"]
        assert "includesubdomains" not in headers["strict-transport-security"].lower(), "off unless configured"
        assert "s-maxage" in headers["cache-control"] and "set-cookie" not in headers
        again = get(stack["https"], site.host)
        assert again[1]["x-cache"] == "HIT" and again[2] == body
    # The page's stylesheet comes from nginx (collectstatic's hashed name), not from the app.
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
    status, headers, _ = get(stack["https"], city.host, stylesheet)
    assert status == 200 and "immutable" in headers["cache-control"] and "x-cache" not in headers
    assert headers["x-content-type-options"] == "nosniff" and headers["strict-transport-security"]


def test_plain_http_redirects_and_outsiders_cannot_purge_or_read_media_directly(stack, county):
    status, headers, _ = get(stack["http"], county.host, "/xwdt/", tls=False)
    assert status == 301 and headers["location"] == f"https://{county.host}/xwdt/"
    assert get(stack["https"], county.host, method="BAN")[0] == 405
    assert get(stack["https"], county.host, "/_protected_media/site_510104/x.jpg")[0] == 404
    assert get(stack["https"], "unknown.smoke.test")[0] == 404
    status, _, body = get(stack["https"], CONSOLE, "/-/health")
    assert status == 200 and b'"database": "ok"' in body


def test_an_editor_publishes_and_citizens_see_it_through_the_edge(stack, county):
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    with schema_context(county.schema):
        news = ColumnPage.objects.get(slug="xwdt")
    get(stack["https"], county.host, "/xwdt/")
    assert get(stack["https"], county.host, "/xwdt/")[1]["x-cache"] == "HIT"

    editor = EdgeEditor(f"https://127.0.0.1:{stack['https']}", county.host)
    assert editor.sign_in(county.password).status_code == 302
    published = editor.publish_article(news.pk, title="部署冒烟测试稿件", slug="smoke-test", body="<p>冒烟</p>")
    assert published.status_code == 302, published.text[-1500:]
    try:
        _, headers, body = get(stack["https"], county.host, "/xwdt/")
        assert "部署冒烟测试稿件" in body.decode() and headers["x-cache"] == "MISS"
    finally:
        with schema_context(county.schema):
            page = ColumnPage.objects.get(pk=news.pk).get_children().filter(slug="smoke-test").first()
        if page is not None:
            assert editor.delete_page(page.pk).status_code == 302
    assert "部署冒烟测试稿件" not in get(stack["https"], county.host, "/xwdt/")[2].decode()


@pytest.fixture
def chinese_named_files(stack, fixture_sites, django_db_blocker):
    """A document and an image of 锦江区 with Chinese file names, committed, their files where production keeps them."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    county = fixture_sites["county"]
    folder = stack["work"] / "media" / county.schema
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(parents=True, exist_ok=True)
    pdf, png = b"%PDF-1.4 smoke", b"\x89PNG\r\n\x1a\n smoke"
    (folder / "documents" / "防汛通知.pdf").write_bytes(pdf)
    (folder / "images" / "会场.png").write_bytes(png)
    Document = get_document_model()
    with django_db_blocker.unblock(), schema_context(county.schema):
        # bulk_create: the file is on production's disk, not this process's storage, for save() to hash.
        [doc] = Document.objects.bulk_create([Document(
            title="防汛通知", file=ContentFile(pdf, name="documents/防汛通知.pdf").name,
            collection=Collection.get_first_root_node(), file_size=len(pdf), file_hash="smoke",
        )])
    try:
        yield {"document": f"/documents/{doc.pk}/防汛通知.pdf", "document_media": "/media/documents/防汛通知.pdf",
               "image": "/media/images/会场.png", "pdf": pdf, "png": png}
    finally:
        with django_db_blocker.unblock(), schema_context(county.schema):
            Document.objects.filter(pk=doc.pk).delete()


def test_documents_and_chinese_file_names_come_from_nginx_with_their_headers(stack, fixture_sites, chinese_named_files):
    """No `db` here: the document must be committed for gunicorn to see it, outside any test transaction."""
    county, files = fixture_sites["county"], chinese_named_files
    status, headers, body = get(stack["https"], county.host, quote(files["document"]))
    assert status == 200 and body == files["pdf"], "nginx found the file the app named (percent-encoded)"
    assert headers["content-disposition"].startswith("attachment")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "default-src 'none'"
    assert headers["strict-transport-security"].startswith("max-age=")
    assert get(stack["https"], county.host, quote(files["document_media"]))[0] == 404
    status, headers, body = get(stack["https"], county.host, quote(files["image"]))
    assert status == 200 and body == files["png"]
    assert headers["x-content-type-options"] == "nosniff"


def test_the_shipped_files_are_the_ones_tested():
    """A reminder with teeth: the smoke test substitutes only marked lines, so they must exist."""
    text = NGINX_CONF.read_text()
    for marker, shipped in MARKED.items():
        assert f"{shipped}  # smoke: {marker}" in text
    assert Path(ROOT / "deploy" / "varnish" / "default.vcl").exists()


def test_an_alias_redirects_to_the_primary_host_without_the_apps_own_port(stack, fixture_sites, django_db_blocker):
    """Behind nginx and the edge, gunicorn's port (SERVER_PORT) is no address a citizen can use."""
    from tenants import actions

    county = fixture_sites["county"]
    with django_db_blocker.unblock():
        actions.add_domain(county.site, "jinjiang-alias.smoke.test", acting_user=None, source="tests")
    try:
        status, headers, _ = get(stack["https"], "jinjiang-alias.smoke.test", "/xwdt/")
        assert status == 301 and headers["location"] == f"https://{county.host}/xwdt/"
    finally:
        with django_db_blocker.unblock():
            actions.remove_domain(county.site, "jinjiang-alias.smoke.test", acting_user=None, source="tests")


def test_a_request_that_bypassed_nginx_is_served_not_a_server_error(stack, fixture_sites, django_db_blocker):
    """Straight to the edge, without the X-Real-IP nginx sets: the rate limits and the audit count the
    connection's address (it was an error page: django-ratelimit found no address to count)."""
    import urllib.parse

    from tests.interaction.test_durability import CODE, clear_messages

    county = fixture_sites["county"]
    secure = {"Host": county.host, "X-Forwarded-Proto": "https"}
    conn = http.client.HTTPConnection("127.0.0.1", stack["edge"], timeout=30)
    try:
        conn.request("GET", "/hdjl/ldxx/", headers=secure)
        response = conn.getresponse()
        html = response.read().decode()
        assert response.status == 200
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "category": "enquiry", "subject": "绕过代理的留言",
            "body": "孩子刚出生，想给孩子办理城乡居民医保，需要哪些材料？", "phone": "028-12345678",
            "captcha_0": "k", "captcha_1": "x",
        })
        conn.request("POST", "/hdjl/ldxx/", body=body, headers=secure | {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{county.host}", "Referer": f"https://{county.host}/hdjl/ldxx/",
        })
        response = conn.getresponse()
        answer = response.read().decode()
    finally:
        conn.close()
        with django_db_blocker.unblock():
            clear_messages(county.schema)
    # Production checks the captcha for real: a wrong answer is the form again (400), with its error.
    assert response.status == 400 and "验证码" in answer and not CODE.search(answer)
