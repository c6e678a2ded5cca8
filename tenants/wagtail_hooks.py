"""What a site's own admin shows of the platform: the archived notice on the dashboard, and the
两步验证 page in each account's settings.

Changes are refused by tenants.middleware for an archived site; the notice tells editors why
before they try.
"""

from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component


class ArchivedSitePanel(Component):
    name = "archived_site"
    order = 10  # before Wagtail's own panels

    def __init__(self, site):
        self.site = site

    def render_html(self, parent_context=None):
        successor = self.site.successor if self.site.successor_id else None
        where = format_html("相关工作由 <a href=\"{}/\">{}</a> 承接。", successor.base_url(), successor.display_name) \
            if successor is not None and successor.base_url() else ""
        return format_html(
            '<section class="panel" aria-labelledby="archived-site-title"><div class="help-block help-warning">'
            '<h2 id="archived-site-title">本站已归档</h2><p>本站内容已冻结：可以查阅，但不能新建、修改、发布或撤回，'
            "也不受理新的留言。{}如需恢复编辑，请联系省级平台管理员。</p></div></section>",
            where,
        )


@hooks.register("construct_homepage_panels")
def archived_site_notice(request, panels):
    site = getattr(request, "site_tenant", None)
    if site is not None and site.is_archived:
        panels.insert(0, ArchivedSitePanel(site))


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("govsites_two_factor"),
        "label": "两步验证",
        "help_text": "登录时除密码外再输入手机验证器应用中的验证码；站点管理员必须开启。",
    }
