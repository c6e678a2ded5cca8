"""两步验证 on the console: the code after the password and one's own second factor are the shared pages
of tenants.two_factor_views (here in the console's frame); staff accounts' devices are reset here.

Every console account must have a second factor (tenants.two_factor.required).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants import actions, audit, staff_roles
from tenants.two_factor_views import SettingsView, VerifyView

from ..access import administrator_required, staff_required

verify = VerifyView.as_view(template_name="console/two_factor_verify.html")


class ConsoleSettingsView(SettingsView):
    template_name = "console/two_factor.html"

    def extra_context(self):
        if not staff_roles.can_administer(self.request.user):
            return {}
        return {"staff": get_user_model().objects.filter(is_staff=True).annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        ).order_by("username")}


settings_page = staff_required(ConsoleSettingsView.as_view())


@require_POST
@administrator_required
def reset(request):
    """An administrator removes another staff account's device (phone and recovery codes lost); audited."""
    user = get_object_or_404(get_user_model(), username=request.POST.get("username", ""), is_staff=True)
    try:
        actions.reset_staff_two_factor(user, acting_user=request.user, source=audit.client_address(request))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已重置 {user.get_username()} 的两步验证：该账号的会话已结束，"
                                  "下次登录时须重新设置。")
    return redirect("console:two_factor")
