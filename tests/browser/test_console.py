"""The platform console in a browser: log in, read the site tree, open a site, and run one site's whole life."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_tenants.utils import get_public_schema_name
from playwright.sync_api import expect

from tests.helpers import provision_committed_county
from tests.two_factor import fresh_code

pytestmark = pytest.mark.browser


@pytest.fixture
def console(live_server_url, console_staff, page, axe, screenshot):
    """The page, logged in to the console through its login form and code page (checked for accessibility)."""
    page.goto(f"{live_server_url}/login/")
    axe(page)
    screenshot(page, "console-login")
    code = fresh_code(get_public_schema_name(), console_staff.username)
    page.get_by_label("用户名").fill(console_staff.username)
    page.get_by_label("密码").fill(console_staff.password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("输入验证码")
    axe(page)
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="验证并进入控制台").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("站点（共")
    return page


def provision_in_console(page, live_server_url, name, level, parent, region_code, site_code=None):
    """Fill in and send the console's 开设站点 form."""
    page.goto(f"{live_server_url}/sites/new/")
    page.get_by_label("站点名称").fill(name)
    page.get_by_label("级别").select_option(label=level)
    page.get_by_label("上级站点").select_option(label=parent)
    page.get_by_label("区划代码").fill(region_code)
    page.get_by_label("网站标识码").fill(site_code or f"{region_code}0001")
    page.get_by_role("button", name="开设站点").click()


def test_wrong_password_is_refused(live_server_url, console_staff, page, axe, screenshot):
    page.goto(f"{live_server_url}/login/")
    page.get_by_label("用户名").fill(console_staff.username)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("平台工作人员登录")
    axe(page)
    screenshot(page, "console-login-error")


def test_site_tree_and_site_detail(console, axe, screenshot):
    page = console
    tree = page.get_by_role("table")
    for name in ("四川省", "成都市", "锦江区", "春熙路街道"):
        expect(tree.get_by_role("link", name=name, exact=True)).to_be_visible()
    axe(page)
    screenshot(page, "console-site-tree")

    tree.get_by_role("link", name="锦江区", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("锦江区")
    expect(page.get_by_text("jinjiang.chengdu.localhost", exact=True)).to_be_visible()
    axe(page)
    screenshot(page, "console-site-detail")

    page.get_by_role("link", name="站点账号（编辑、审核、站点管理员）").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("站点账号")
    expect(page.get_by_role("cell", name="admin", exact=True)).to_be_visible()
    axe(page)
    screenshot(page, "console-site-accounts")
    page.go_back()

    page.get_by_role("navigation", name="控制台导航").get_by_role("link", name="开设站点").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("开设站点")
    axe(page)
    screenshot(page, "console-provision-form")

    page.get_by_role("button", name="开设站点").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    axe(page)
    screenshot(page, "console-provision-form-errors")

    page.get_by_role("navigation", name="控制台导航").get_by_role("link", name="工作人员").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员")
    expect(page.get_by_role("button", name="开设账号")).to_be_visible()  # a system administrator opens accounts
    expect(page.get_by_role("button", name=re.compile("的角色$"))).to_have_count(0)  # roles are security's
    axe(page)
    screenshot(page, "console-staff")
    expect(page.get_by_role("navigation", name="控制台导航").get_by_role("link", name="审计记录")).to_have_count(0)


def test_the_audit_administrator_reads_the_trail_and_nothing_else(
    live_server_url, console_auditor, console_login, page, axe, screenshot
):
    console_login(page, console_auditor)
    expect(page.get_by_role("heading", level=1)).to_have_text("审计记录")  # the console's home, for them
    nav = page.get_by_role("navigation", name="控制台导航")
    expect(nav.get_by_role("link", name="站点", exact=True)).to_have_count(0)
    page.get_by_label("站点区划代码").fill("510104")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("cell", name="provision_site")).to_be_visible()
    axe(page)
    screenshot(page, "console-audit-trail")
    nav.get_by_role("link", name="安全").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("安全")
    expect(page.get_by_role("heading", name="审计记录校验")).to_be_visible()
    axe(page)
    screenshot(page, "console-security")
    assert page.goto(f"{live_server_url}/sites/new/").status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("无权访问")
    axe(page)


def test_provision_visit_suspend_and_resume_a_site(
    committed_sites, live_server_url, site_url, console, wagtail_login, axe, screenshot
):
    """The whole life of a new site through the browser; the site is committed, so it is dropped afterwards."""
    committed_sites.append("510113")
    page = console
    provision_in_console(page, live_server_url, "青白江区", "县级", "成都市（510100）", "510113")

    expect(page.get_by_role("heading", level=1)).to_have_text("站点“青白江区”已开设")
    expect(page.get_by_role("link", name="http://qingbaijiang.chengdu.localhost/", exact=True)).to_be_visible()
    password = page.locator("p", has_text="初始密码").locator("code").last.inner_text()
    assert len(password) >= 16
    axe(page)
    screenshot(page, "console-provisioned")

    site_host = "qingbaijiang.chengdu.localhost"
    site = page.context.new_page()
    assert site.goto(site_url(site_host)).status == 200
    expect(site.locator(".site-name")).to_have_text("青白江区人民政府")
    screenshot(site, "new-site-home")

    wagtail_login(site, site_host, password, second_factor=False)
    # The console issued that password: the administrator sets their own before anything else.
    expect(site.get_by_role("heading", level=1)).to_have_text("修改密码")
    expect(site.get_by_role("alert")).to_contain_text("您的密码由管理员发放或重置")
    axe(site)
    screenshot(site, "new-site-password-change")
    site.get_by_label("旧密码").fill(password)
    site.get_by_label("新密码", exact=True).fill("Tq7#mZ2!rL9x")
    site.get_by_label("新密码确认").fill("Tq7#mZ2!rL9x")
    site.get_by_role("button", name="修改密码").click()
    # Then, as an administrator, a second factor before any admin page (the grace login).
    expect(site.get_by_role("heading", level=1)).to_have_text("两步验证")
    expect(site.get_by_role("alert")).to_contain_text("请先设置两步验证")
    site.get_by_role("button", name="开始设置").click()
    expect(site.get_by_role("img", name="两步验证设置二维码")).to_be_visible()
    axe(site)
    screenshot(site, "new-site-two-factor-setup")
    key = b32decode(site.locator("li", has_text="密钥为").locator("code").inner_text().replace(" ", ""))
    site.get_by_label("验证码").fill(f"{totp(key):06d}")
    site.get_by_role("button", name="确认开启").click()
    expect(site.get_by_role("list", name="恢复码").get_by_role("listitem")).to_have_count(10)
    axe(site)
    site.get_by_role("link", name="我已保存恢复码，继续").click()
    expect(site).to_have_url(site_url(site_host, "/admin/"))
    expect(site).to_have_title(re.compile("控制面板"))
    expect(site.locator("html")).to_have_attribute("lang", re.compile("^zh"))
    screenshot(site, "new-site-admin-dashboard")

    page.get_by_role("link", name="查看站点详情").click()
    page.get_by_role("link", name="暂停站点…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("暂停站点")
    axe(page)
    screenshot(page, "console-confirm-suspend")
    page.get_by_role("button", name="确认暂停").click()
    expect(page.get_by_role("status")).to_contain_text("已暂停")
    axe(page)
    response = site.goto(site_url(site_host))
    assert response.status == 503
    expect(site.get_by_role("heading", level=1)).to_contain_text("维护中")
    axe(site)
    screenshot(site, "new-site-suspended")

    page.get_by_role("link", name="恢复访问…").click()
    page.get_by_role("button", name="确认恢复").click()
    expect(page.get_by_role("status")).to_contain_text("已恢复访问")
    assert site.goto(site_url(site_host)).status == 200
    expect(site.locator(".site-name")).to_have_text("青白江区人民政府")


def test_fold_a_township_into_its_county(
    committed_sites, live_server_url, site_url, console, job_worker, axe, screenshot
):
    """A township provisioned and folded through the browser: its address then leads to the county's 专栏.

    Into a county of its own (committed by the CLI), so the fixture sites keep their content. The
    fold is a job: the console shows its page, which reloads itself until the job worker is done.
    """
    committed_sites.extend(["510118001", "510118"])  # the township first: it sits under the county
    provision_committed_county("新津区", "510118")
    page = console
    provision_in_console(page, live_server_url, "五津街道", "乡镇级", "新津区（510118）", "510118001", "5101181001")
    expect(page.get_by_role("heading", level=1)).to_have_text("站点“五津街道”已开设")
    new_site_link = re.compile(r"^http:..[a-z]+\.xinjin\.chengdu\.localhost.$")
    township_url = page.get_by_role("link", name=new_site_link).inner_text()
    township_host = township_url.removeprefix("http://").rstrip("/")

    page.get_by_role("link", name="查看站点详情").click()
    page.get_by_role("link", name="并入县级站点…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("并入县级站点")
    expect(page.get_by_text("新津区人民政府", exact=False).first).to_be_visible()
    axe(page)
    screenshot(page, "console-confirm-fold")
    page.get_by_role("button", name="确认并入").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("乡镇站点并入县级站点：五津街道（510118001）")
    axe(page)
    expect(page.get_by_role("status").last).to_contain_text("已并入“新津区”", timeout=30_000)
    expect(page.locator(".state-succeeded")).to_have_text("已完成")
    axe(page)
    screenshot(page, "console-job-done")
    page.get_by_role("link", name="后台操作", exact=True).click()
    expect(page.get_by_role("cell", name="已完成").first).to_be_visible()
    axe(page)
    page.go_back()
    page.get_by_role("link", name="查看站点“五津街道”").click()
    expect(page.locator("dd.status-folded")).to_have_text("已并入")

    site = page.context.new_page()
    response = site.goto(site_url(township_host, "/xwdt/"))
    assert response.status == 200
    assert site.url == site_url("xinjin.chengdu.localhost", "/xzzl/" + township_host.split(".")[0] + "/xwdt/")
    expect(site.get_by_role("heading", level=1)).to_have_text("新闻动态")
    screenshot(site, "folded-township-column")


def test_lifecycle_backup_and_account_pages_are_accessible(console, live_server_url, jobs_removed, axe, screenshot):
    """The pages around a site's life, as an administrator sees them, each checked by axe."""
    page = console
    page.get_by_role("table").get_by_role("link", name="锦江区", exact=True).click()
    page.get_by_role("link", name="备份与恢复").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("备份")
    axe(page)
    screenshot(page, "console-site-backups")
    # No job worker runs in this test: the backup stays queued, and its page keeps updating until paused.
    page.get_by_role("button", name="立即备份").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("备份站点：锦江区（510104）")
    expect(page.locator(".state-queued")).to_have_text("排队中")
    pause = page.get_by_role("button", name="暂停自动更新")
    expect(pause).to_have_attribute("aria-pressed", "false")
    axe(page)
    screenshot(page, "console-job-queued")
    pause.click()
    expect(page.get_by_role("button", name="继续自动更新")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("link", name="查看站点“锦江区”").click()
    expect(page.get_by_role("status").first).to_contain_text("备份站点排队中")
    page.get_by_role("link", name="归档…").click()
    expect(page.get_by_label("接续站点")).to_be_visible()
    axe(page)
    screenshot(page, "console-confirm-archive")
    page.get_by_role("link", name="取消").click()

    nav = page.get_by_role("navigation", name="控制台导航")
    nav.get_by_role("link", name="备份").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("全平台备份")
    axe(page)
    nav.get_by_role("link", name="账号查询").click()
    page.get_by_label("用户名、姓名或电子邮件").fill("admin")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_role("status")).to_contain_text("找到")
    expect(page.get_by_role("cell", name="admin", exact=True).first).to_be_visible()
    axe(page)
    screenshot(page, "console-find-accounts")


@pytest.fixture(scope="module")
def computed_health(fixture_sites, django_db_blocker):
    """Indicators of the fixture sites, committed (the live server sees committed rows only).

    Module-scoped, so it runs outside any test's transaction."""
    from io import StringIO

    from django.core.management import call_command

    from monitoring.models import HealthSnapshot, SiteHealth

    with django_db_blocker.unblock():
        call_command("compute_indicators", stdout=StringIO(), stderr=StringIO())
    yield fixture_sites
    with django_db_blocker.unblock():
        HealthSnapshot.objects.all().delete()
        SiteHealth.objects.all().delete()


def test_the_monitoring_dashboard_and_a_drill_down(computed_health, console, axe, screenshot):
    page = console
    page.get_by_role("navigation", name="控制台导航").get_by_role("link", name="网站监测").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网站监测")
    table = page.get_by_role("table")
    # The fixture sites have the bare standard skeleton: empty columns and a home page never updated.
    expect(table.get_by_role("link", name="锦江区", exact=True)).to_be_visible()
    expect(table.get_by_text("否决").first).to_be_visible()
    axe(page)
    screenshot(page, "console-monitoring-dashboard")
    table.get_by_role("link", name="锦江区", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("锦江区人民政府：网站监测")
    expect(page.get_by_role("heading", name="空白栏目")).to_be_visible()
    expect(page.get_by_role("link", name="在后台处理").first).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("首页更新"))).to_be_visible()
    axe(page)
    screenshot(page, "console-monitoring-site")


def test_a_tamper_incident_is_read_and_closed(console, fixture_sites, django_db_blocker, axe, screenshot):
    """网页防篡改: the incident's difference, readable (axe) in both colours, and closing it with a note."""
    from monitoring import health, tamper
    from monitoring.models import HealthSnapshot, SiteHealth, TamperIncident

    county = fixture_sites["county"]
    published = "<main>\n<h1>锦江区人民政府</h1>\n<p>通知公告</p>\n</main>"
    injected = "<p>本网站已被黑客攻陷</p>\n<script src=//evil.example/x.js></script>"
    served = published.replace("<p>通知公告</p>", injected)
    with django_db_blocker.unblock():
        had_health = SiteHealth.objects.filter(site=county.site).exists()
        incident = tamper.open_incident(county.site, f"http://{county.host}/", expected=tamper.Copy(200, published),
                                        served=tamper.Copy(200, served), restored=False)
    page = console
    try:
        page.get_by_role("navigation", name="控制台导航").get_by_role("link", name="网页防篡改").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("网页防篡改")
        expect(page.get_by_role("cell", name="仍不一致")).to_be_visible()
        axe(page)
        page.get_by_role("link", name=f"http://{county.host}/").click()
        expect(page.locator(".diff .added").first).to_contain_text("本网站已被黑客攻陷")
        expect(page.locator(".diff .removed").first).to_contain_text("通知公告")
        axe(page)
        screenshot(page, "console-tamper-incident")
        page.get_by_label("处置说明").fill("前端服务器被植入代码：已下线重装，清除缓存后复核一致")
        page.get_by_role("button", name="关闭事件").click()
        expect(page.get_by_text("已处置：")).to_be_visible()
        expect(page.get_by_role("cell", name=re.compile("已处置（browser-staff"))).to_be_visible()
    finally:
        with django_db_blocker.unblock():  # closing computed the site's health: leave it as it was
            TamperIncident.objects.filter(pk=incident.pk).delete()
            if had_health:
                health.refresh(county.site)
            else:
                SiteHealth.objects.filter(site=county.site).delete()
                HealthSnapshot.objects.filter(site=county.site).delete()
