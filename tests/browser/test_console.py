"""The platform console in a browser: log in, read the site tree, open a site, and run one site's whole life."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def console(live_server_url, console_staff, page, axe, screenshot):
    """The page, logged in to the console through its login form (checked for accessibility on the way)."""
    page.goto(f"{live_server_url}/login/")
    axe(page)
    screenshot(page, "console-login")
    page.get_by_label("用户名").fill(console_staff.username)
    page.get_by_label("密码").fill(console_staff.password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("站点（共")
    return page


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

    page.get_by_role("navigation", name="控制台导航").get_by_role("link", name="审计记录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审计记录")
    page.get_by_label("站点区划代码").fill("510104")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("cell", name="provision_site")).to_be_visible()
    axe(page)
    screenshot(page, "console-audit-trail")


def test_provision_visit_suspend_and_resume_a_site(
    committed_sites, live_server_url, site_url, console, wagtail_login, axe, screenshot
):
    """The whole life of a new site through the browser; the site is committed, so it is dropped afterwards."""
    committed_sites.append("510113")
    page = console
    page.goto(f"{live_server_url}/sites/new/")
    page.get_by_label("站点名称").fill("青白江区")
    page.get_by_label("级别").select_option(label="县级")
    page.get_by_label("上级站点").select_option(label="成都市（510100）")
    page.get_by_label("区划代码").fill("510113")
    page.get_by_label("网站标识码").fill("5101130001")
    page.get_by_role("button", name="开设站点").click()

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

    wagtail_login(site, site_host, password)
    expect(site).to_have_url(site_url(site_host, "/admin/"))
    expect(site).to_have_title(re.compile("控制面板"))
    expect(site.locator("html")).to_have_attribute("lang", re.compile("^zh"))
    screenshot(site, "new-site-admin-dashboard")

    page.get_by_role("link", name="查看站点详情").click()
    page.get_by_role("button", name="暂停站点").click()
    expect(page.get_by_role("status")).to_contain_text("已暂停")
    axe(page)
    response = site.goto(site_url(site_host))
    assert response.status == 503
    expect(site.get_by_role("heading", level=1)).to_contain_text("维护中")
    axe(site)
    screenshot(site, "new-site-suspended")

    page.get_by_role("button", name="恢复访问").click()
    expect(page.get_by_role("status")).to_contain_text("已恢复访问")
    assert site.goto(site_url(site_host)).status == 200
    expect(site.locator(".site-name")).to_have_text("青白江区人民政府")
