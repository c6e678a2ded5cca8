"""Platform staff roles (三员分立): what a console account may do (public schema, Django groups).

Three administrators, none able to do another's work (等保 2.0 三级):

- 系统管理员 (system): sites, their lifecycle and domains, backups, restores, folding and deleting;
  opens staff accounts (without a role);
- 安全管理员 (security): accounts — staff roles, each site's accounts, lockouts, second factors;
- 审计管理员 (audit): reads and exports the audit trail, and nothing else.

Two narrower roles: 运维人员 (operator: opening, suspending and resuming sites, domains, backups;
not deleting, restoring or folding) and 监督员 (supervisor: sees the sites, their health and
statistics, changes nothing). Neither of them, nor the system or security administrator, reads
the audit trail.

One role per account, set only by a security administrator and never on their own account, so
no role grants itself another; an account without a role reaches nothing but its own password
and second factor. The Django superuser flag gives no role: an emergency is `break_glass`, a
role for an hour or so, from the command line, audited (tenants.actions.staff).
"""

from django.utils import timezone

SYSTEM = "系统管理员"
SECURITY = "安全管理员"
AUDITOR = "审计管理员"
OPERATOR = "运维人员"
SUPERVISOR = "监督员"
ROLES = [SYSTEM, SECURITY, AUDITOR, OPERATOR, SUPERVISOR]
DESCRIPTIONS = {
    SYSTEM: "开设、暂停、归档、并入、删除站点，域名，备份与恢复；开设工作人员账号",
    SECURITY: "工作人员的角色，各站点账号，登录锁定，两步验证",
    AUDITOR: "查阅、导出审计记录，不能做其他操作",
    OPERATOR: "开设、暂停、恢复站点，管理域名，备份",
    SUPERVISOR: "查看站点、监测与统计，不能做任何修改",
}
READERS = (SYSTEM, SECURITY, OPERATOR, SUPERVISOR)  # see sites, health, statistics, backups, jobs
OPERATORS = (SYSTEM, OPERATOR)  # change sites

_CACHE = "_govsites_staff_role"


def role_of(user):
    """The account's role (one of ROLES) now, or None: an emergency role while it lasts, else its group's."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    return _looked_up(user)[0]


def emergency_of(user):
    """The account's emergency role in force now (an EmergencyRole), or None."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    return _looked_up(user)[1]


def _looked_up(user):
    """(role, emergency grant), looked up once per request: kept on the user object, which lives as long."""
    if not hasattr(user, _CACHE):
        from .models import EmergencyRole

        emergency = EmergencyRole.objects.filter(user=user, ends_at__gt=timezone.now(), ended_at=None).first()
        if emergency is not None:
            role = emergency.role
        else:
            names = set(user.groups.values_list("name", flat=True))
            role = next((role for role in ROLES if role in names), None)
        setattr(user, _CACHE, (role, emergency))
    return getattr(user, _CACHE)


def forget(user):
    """Drop the role kept on `user` (after it changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def can_read(user):
    return role_of(user) in READERS


def can_operate(user):
    return role_of(user) in OPERATORS


def can_administer_sites(user):
    """Deleting, restoring and folding sites; opening staff accounts."""
    return role_of(user) == SYSTEM


def can_manage_accounts(user):
    return role_of(user) == SECURITY


def can_audit(user):
    return role_of(user) == AUDITOR
