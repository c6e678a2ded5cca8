"""Browser tests: Debian's Chromium (driven by Playwright) against a real gunicorn.

The server is a separate process, so it sees only committed data: the session's
fixture sites and the console staff user below. Whatever a browser test commits
through the server (a provisioned site) it must remove itself (`committed_sites`).
"""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_public_schema_name
from playwright.sync_api import sync_playwright

from tenants import staff_roles
from tenants.models import SiteJob
from tests.helpers import ROOT, ServerDidNotStart, gunicorn_server, test_env
from tests.two_factor import fresh_code, schema_of_host

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# WCAG 2.1 levels A and AA: what the platform promises (GB/T 37668, the national standard, is built on WCAG).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Every site host (jinjiang.chengdu.localhost, nosuch.localhost) reaches the local server.
    "--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1",
]


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def _committed_staff(django_db_blocker, username, password, role):
    staff = Credentials(username, password)
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        user, _ = get_user_model().objects.get_or_create(username=staff.username)
        user.is_staff = True
        user.set_password(staff.password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
    return staff


@pytest.fixture(scope="session")
def console_staff(django_db_setup, django_db_blocker):
    """A committed platform staff user, a system administrator: the server process cannot see one made
    inside a test transaction.

    Its name differs from `platform_admin`'s so the in-transaction fixture can still create that one.
    """
    return _committed_staff(django_db_blocker, "browser-staff", "browser-staff-pass-1234", staff_roles.SYSTEM)


@pytest.fixture(scope="session")
def console_auditor(django_db_setup, django_db_blocker):
    """A committed audit administrator (三员分立: the trail is theirs alone)."""
    return _committed_staff(django_db_blocker, "browser-auditor", "browser-auditor-pass-1234", staff_roles.AUDITOR)


@pytest.fixture(scope="session")
def live_server_url(fixture_sites, console_staff, console_auditor, tmp_path_factory):
    """gunicorn with the production config, serving this run's test database; yields the console's address.

    It starts after the fixture sites and the staff user are committed, so its workers can see them.
    """
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    try:
        with gunicorn_server(log_path) as server:
            yield f"http://localhost:{server.port}"
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture
def jobs_removed(django_db_blocker):
    """Jobs a browser test queued through the server (committed) are removed after it."""
    yield
    with django_db_blocker.unblock():
        SiteJob.objects.all().delete()
        DBTaskResult.objects.all().delete()


@pytest.fixture
def job_worker(live_server_url, jobs_removed, tmp_path_factory):
    """The job worker beside the live server, as govsites-jobs.service runs it (`manage.py db_worker`).

    For the test that asks for it only: elsewhere queued jobs stay queued, or are run by the test itself.
    """
    log_path = tmp_path_factory.mktemp("jobs") / "db_worker.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--backend", "jobs", "--queue-name", "site-jobs",
             "--interval", "0.2", "--no-startup-delay", "--no-reload"],
            cwd=ROOT, env=test_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture(scope="session")
def site_url(live_server_url):
    """site_url(host, path="/"): an address on the live server under any host name (the browser maps them all)."""
    port = urlsplit(live_server_url).port

    def url(host, path="/"):
        return f"http://{host}:{port}{path}"

    return url


@pytest.fixture
def page(monkeypatch):
    """A page in a browser of its own, asking for Chinese like a local visitor.

    Playwright's sync API leaves its asyncio loop marked as running in this thread,
    and Django then refuses ORM calls (SynchronousOnlyOperation) from fixtures set up
    after it. Nothing runs concurrently (the loop only turns inside Playwright calls),
    so the check is lifted for this test only; a browser per test means no loop is
    left running into later tests.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        opened = context.new_page()
        blocked = []  # every browser test is also a check that the pages break no Content-Security-Policy
        opened.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(
            f"{opened.url}: {message.text}"))
        yield opened
        browser.close()
    assert not blocked, "the Content-Security-Policy blocked something the page needs:\n" + "\n".join(blocked)


AXE_SOURCE = AXE_JS.read_text() + "\n;undefined"


def _describe(violations):
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        lines.append(f"- {violation['id']}: {violation['help']} [{targets}]")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """axe(page): assert the page as it stands has no WCAG 2.1 A/AA violations."""

    def check(page):
        # Evaluated through the browser's debugging protocol, not added as a <script>: the page's
        # Content-Security-Policy (rightly) refuses inline scripts, and the check must not weaken it.
        page.evaluate(AXE_SOURCE)
        results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        violations = results["violations"]
        if violations:
            pytest.fail(f"axe found {len(violations)} violation(s) on {page.url}:\n{_describe(violations)}")

    return check


@pytest.fixture
def screenshot():
    """screenshot(page, name): keep a full-page picture in test-artifacts/screenshots/ for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def audit_pages(page, site_url, axe, screenshot):
    """audit_pages(host, pages, mode, prefix): open each {name: path} in normal or elder mode (长者模式),
    check the mode is applied, run axe, and keep a screenshot named <prefix>-<name>-<mode>.png."""

    def audit(host, pages, mode, prefix):
        page.goto(site_url(host))
        if mode == "elder":
            page.evaluate("localStorage.setItem('govsite-elder', '1')")
        for name, path in pages.items():
            page.goto(site_url(host, path))
            assert page.evaluate("document.documentElement.classList.contains('elder')") == (mode == "elder")
            axe(page)
            screenshot(page, f"{prefix}-{name}-{mode}")

    return audit


@pytest.fixture
def wagtail_login(site_url):
    """wagtail_login(page, host, password): sign in to a site's Wagtail admin as its administrator,
    through the login page and the code page (with a new app: tests.two_factor.fresh_code).
    `second_factor=False` for an administrator without an app yet (the set-up page comes next).

    Fields are found by id: Wagtail labels the password field "Password" even in Chinese.
    """

    def login(page, host, password, second_factor=True):
        page.goto(site_url(host, "/admin/login/"))
        code = fresh_code(schema_of_host(host), "admin") if second_factor else None
        page.locator("#id_username").fill("admin")
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="登录").click()
        if code:
            page.get_by_label("验证码").fill(code)
            page.get_by_role("button", name="验证并进入网站后台").click()

    return login


@pytest.fixture
def console_login(live_server_url, console_staff):
    """console_login(page, staff=console_staff): sign in to the console through the login page and the
    code page (with a new app each time: each code is accepted once)."""

    def login(page, staff=console_staff):
        page.goto(f"{live_server_url}/login/")
        code = fresh_code(get_public_schema_name(), staff.username)
        page.get_by_label("用户名").fill(staff.username)
        page.get_by_label("密码").fill(staff.password)
        page.get_by_role("button", name="登录").click()
        page.get_by_label("验证码").fill(code)
        page.get_by_role("button", name="验证并进入控制台").click()

    return login
