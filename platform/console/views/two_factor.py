"""两步验证 on the console: the code after the password and one's own second factor are the shared pages
of tenants.two_factor_views, here in the console's frame. Every console account must have a second
factor (tenants.two_factor.required); security administrators reset others' on the 工作人员 page.
"""

from tenants.two_factor_views import SettingsView, VerifyView

from ..access import own_account

verify = VerifyView.as_view(template_name="console/two_factor_verify.html")


settings_page = own_account(SettingsView.as_view(template_name="console/two_factor.html"))
