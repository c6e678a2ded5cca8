"""Template context for the console: the signed-in account's role, computed only where a template asks."""

from functools import cache

from tenants import staff_roles


def staff_role(request):
    user = getattr(request, "user", None)
    if user is None or getattr(request, "site_tenant", None) is not None:
        return {}  # a site's page: nothing of the console

    # Callables: the template calls them when (and if) it uses them; the role is looked up
    # once per request however many times a template asks (site_detail asks four times).
    @cache
    def role():
        return staff_roles.role_of(user)

    return {
        "staff_role": role,
        "emergency": lambda: staff_roles.emergency_of(user),
        "can_read": lambda: role() in staff_roles.READERS,
        "can_operate": lambda: role() in staff_roles.OPERATORS,
        "can_administer_sites": lambda: role() == staff_roles.SYSTEM,
        "can_manage_accounts": lambda: role() == staff_roles.SECURITY,
        "can_audit": lambda: role() == staff_roles.AUDITOR,
    }
