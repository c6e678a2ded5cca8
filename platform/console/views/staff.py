"""工作人员: the console's own accounts under 三员分立 (tenants.staff_roles).

A system administrator opens an account (without a role, its password shown once); a security
administrator gives it its role, disables or enables it, lifts its login lockout or resets its
second factor; never on their own account. Both see the list; nobody else does.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants import accounts, actions, staff_roles
from tenants.models import EmergencyRole

from ..access import accounts_required, add_errors, back_or, client_ip, forbidden, staff_required
from ..forms import StaffAccountForm


def _sees_staff(user):
    return staff_roles.can_manage_accounts(user) or staff_roles.can_administer_sites(user)


@staff_required
def staff_list(request):
    """GET: every console account, its role and login state; POST: a system administrator opens one."""
    if not _sees_staff(request.user):
        return forbidden(request)
    form = StaffAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not staff_roles.can_administer_sites(request.user):
            return forbidden(request)
        if form.is_valid():
            try:
                password = actions.create_staff_account(**form.cleaned_data, acting_user=request.user,
                                                        source=client_ip(request))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return render(request, "console/staff_password.html", {
                    "username": form.cleaned_data["username"], "password": password,
                }, status=201)
        status = 400
    now = timezone.now()
    people = get_user_model().objects.filter(is_staff=True).annotate(
        has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
    ).prefetch_related(
        "groups",
        Prefetch("emergency_roles", EmergencyRole.objects.filter(ends_at__gt=now, ended_at=None), to_attr="emergency"),
    ).order_by("-is_active", "username")
    with_roles = [(person, staff_roles.role_of(person)) for person in people]
    return render(request, "console/staff.html", {
        "people": with_roles, "form": form, "roles": staff_roles.ROLES, "descriptions": staff_roles.DESCRIPTIONS,
        "locked": accounts.locked_usernames(),
        "can_open": staff_roles.can_administer_sites(request.user),
        "can_manage_accounts": staff_roles.can_manage_accounts(request.user),
    }, status=status)


@require_POST
@accounts_required
def staff_account(request, username):
    """A security administrator's change to one console account: op=role|disable|enable|unlock|reset_two_factor."""
    person = get_object_or_404(get_user_model(), username=username, is_staff=True)
    op, source = request.POST.get("op"), client_ip(request)
    try:
        if op == "role":
            role = request.POST.get("role") or None
            actions.set_staff_role(person, role, acting_user=request.user, source=source)
            messages.success(request, f"{username} 的角色已设为{role or '（无角色）'}。")
        elif op in ("disable", "enable"):
            actions.set_staff_active(person, op == "enable", acting_user=request.user, source=source)
            messages.success(request, f"账号 {username} 已{'启用' if op == 'enable' else '停用，其登录已全部失效'}。")
        elif op == "unlock":
            actions.unlock_login(None, username, acting_user=request.user, source=source)
            messages.success(request, f"已解除账号 {username} 的登录锁定。")
        elif op == "reset_two_factor":
            actions.reset_staff_two_factor(person, acting_user=request.user, source=source)
            messages.success(request, f"已重置 {username} 的两步验证：该账号的会话已结束，下次登录时须重新设置。")
        else:
            messages.error(request, "未知操作。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return back_or(request, "console:staff")
