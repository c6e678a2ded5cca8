"""安全: the security and audit administrators' daily look at the platform's accounts (tenants.security_overview).

Both see it; only the security administrator gets the buttons (lifting a lock, disabling a stale
account), which post to the 工作人员 and 站点账号 actions and come back here.
"""

from functools import partial

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tenants import security_overview, staff_roles

from ..access import staff_required


def _security_or_audit(user):
    return staff_roles.can_manage_accounts(user) or staff_roles.can_audit(user)


@require_safe
@partial(staff_required, allowed=_security_or_audit)
def security(request):
    without, without_capped = security_overview.without_two_factor()
    stale, stale_capped = security_overview.stale_accounts()
    return render(request, "console/security.html", {
        "locked": security_overview.locked_accounts(),
        "without_two_factor": without, "without_capped": without_capped,
        "stale": stale, "stale_capped": stale_capped,
        "failures": security_overview.recent_failures(),
        "verification": security_overview.last_verification(),
        "can_manage_accounts": staff_roles.can_manage_accounts(request.user),
        "stale_days": settings.STALE_ACCOUNT_DAYS,
    })
