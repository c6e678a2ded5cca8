"""Who may use which console page: the decorators every console view declares, and the form-error glue.

Roles are the registry's (tenants.staff_roles); these decide per request.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from tenants import audit, staff_roles


def staff_required(view, allowed=staff_roles.can_read):
    """Signed-in platform staff only; `allowed(user)` decides what else it takes (tenants.staff_roles):
    by default a role that reads the sites (every role but the audit administrator's).

    The second factor is checked before any view, by tenants.two_factor.TwoFactorMiddleware.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            return render(request, "console/forbidden.html", status=403)
        if not allowed(request.user):
            return render(request, "console/forbidden.html", {"read_only": True}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def own_account(view):
    """One's own login settings (the second factor): any staff account, with a role or not."""
    return staff_required(view, allowed=lambda user: True)


def operator_required(view):
    """Changes to sites: system administrators and operators; anyone else is refused, nothing changes."""
    return staff_required(view, allowed=staff_roles.can_operate)


def system_required(view):
    """Deleting, restoring and folding sites, opening staff accounts: system administrators only."""
    return staff_required(view, allowed=staff_roles.can_administer_sites)


def accounts_required(view):
    """Accounts, roles, lockouts, second factors: security administrators only."""
    return staff_required(view, allowed=staff_roles.can_manage_accounts)


def audit_required(view):
    """The audit trail: audit administrators only."""
    return staff_required(view, allowed=staff_roles.can_audit)


def back_or(request, *default, **kwargs):
    """A redirect to the posted `next` (a page of the console, e.g. 安全 after one of its buttons), else `default`."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(*default, **kwargs)


def client_ip(request):
    return audit.client_address(request)


def forbidden(request):
    return render(request, "console/forbidden.html", {"read_only": True}, status=403)


def add_errors(form, exc):
    """A refused action's messages on the form: on their fields where the form has them."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
