"""Template context for the console: the signed-in account's role, computed only where a template asks."""

from .. import roles


def staff_role(request):
    user = getattr(request, "user", None)
    if user is None or getattr(request, "site_tenant", None) is not None:
        return {}  # a site's page: nothing of the console
    # Callables: the template calls them when (and if) it uses them.
    return {"staff_role": lambda: roles.role_of(user), "can_operate": lambda: roles.can_operate(user)}
