"""Site accounts from the console (站点账号) and 账号查询: who has access where.

The accounts live in their sites' schemas; reads come from tenants.accounts, changes are
actions (tenants.actions.site_accounts).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST, require_safe

from tenants import accounts, actions, staff_roles
from tenants.models import GovSite

from ..access import accounts_required, add_errors, back_or, client_ip, forbidden, staff_required
from ..forms import SiteAccountForm


@staff_required
def site_accounts_view(request, pk):
    """A site's accounts (every role that reads the sites sees them); security administrators create them (POST)."""
    site = get_object_or_404(GovSite.objects.prefetch_related("domains"), pk=pk)
    form = SiteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not staff_roles.can_manage_accounts(request.user):
            return forbidden(request)
        if form.is_valid():
            try:
                password = actions.create_account(
                    site, **form.cleaned_data, acting_user=request.user, source=client_ip(request)
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return render(request, "console/site_account_password.html", {
                    "site": site, "username": form.cleaned_data["username"], "password": password, "created": True,
                }, status=201)
        status = 400
    return render(request, "console/site_accounts.html", {
        "site": site, "accounts": accounts.list_accounts(site), "form": form,
        "can_manage_accounts": staff_roles.can_manage_accounts(request.user),
    }, status=status)


@require_safe
@staff_required
def find_accounts(request):
    """Who has access where: one site's accounts are on its page; this finds a person in every site."""
    text = (request.GET.get("q") or "").strip()
    found, capped = accounts.find_accounts(text)
    return render(request, "console/find_accounts.html", {
        "q": text[:100], "found": found, "capped": capped, "limit": accounts.FIND_LIMIT,
    })


@require_POST
@accounts_required
def site_account(request, pk, username):
    """Disable, enable, unlock, or reset the password or the second factor of one account of a site."""
    site = get_object_or_404(GovSite.objects.prefetch_related("domains"), pk=pk)
    op = request.POST.get("op")
    source = client_ip(request)
    try:
        if op == "reset":
            password = actions.reset_password(site, username, acting_user=request.user, source=source)
            return render(request, "console/site_account_password.html", {
                "site": site, "username": username, "password": password, "created": False,
            })
        if op == "unlock":
            actions.unlock_login(site, username, acting_user=request.user, source=source)
            messages.success(request, f"已解除账号 {username} 的登录锁定。")
        elif op == "reset_two_factor":
            actions.reset_site_two_factor(site, username, acting_user=request.user, source=source)
            messages.success(request, f"已重置账号 {username} 的两步验证，其登录已全部失效。")
        elif op in ("disable", "enable"):
            actions.set_active(site, username, op == "enable", acting_user=request.user, source=source)
            messages.success(request, f"账号 {username} 已{'启用' if op == 'enable' else '停用，其登录已全部失效'}。")
        else:
            messages.error(request, "未知操作。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return back_or(request, "console:site_accounts", pk=pk)
