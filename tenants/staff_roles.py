"""Platform staff roles: what a console account may do (public schema, Django groups).

- 平台管理员 (administrator): everything, including staff roles;
- 运维人员 (operator): sites' lifecycle and domains;
- 监督员 (supervisor): sees everything, changes nothing.

A superuser is an administrator. A staff account with no role is read-only, like a
supervisor: access is granted by a role, never assumed. Site editors are not staff of
the platform at all (their accounts live in their site's schema).
"""

ADMINISTRATOR = "平台管理员"
OPERATOR = "运维人员"
SUPERVISOR = "监督员"
ROLES = [ADMINISTRATOR, OPERATOR, SUPERVISOR]
OPERATING_ROLES = (ADMINISTRATOR, OPERATOR)  # may change sites
DESCRIPTIONS = {
    ADMINISTRATOR: "全部操作，包括设置工作人员角色",
    OPERATOR: "开设、暂停、恢复站点，管理域名",
    SUPERVISOR: "查看全部内容，不能做任何修改",
}


def role_of(user):
    """The user's role (one of ROLES), or None for an account that is not platform staff."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if user.is_superuser:
        return ADMINISTRATOR
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in ROLES if role in names), SUPERVISOR)


def can_operate(user):
    return role_of(user) in OPERATING_ROLES


def can_administer(user):
    return role_of(user) == ADMINISTRATOR
