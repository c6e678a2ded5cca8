"""What the platform decides about accounts beyond Django's own fields (public schema, every schema's accounts)."""

from django.conf import settings
from django.db import models


class PasswordChangeRequired(models.Model):
    """An account that must choose its own password before it can do anything else (tenants.passwords).

    Written when the console issues a password (a new site's administrator, a new account, a reset,
    a new platform administrator); removed when the account's owner sets one. Kept in public, by
    schema and user name, so one table covers the console and every site, and a site's restore does
    not bring back a requirement that was met.
    """

    class Reason(models.TextChoices):
        ISSUED = "issued", "控制台发放的初始密码"
        RESET = "reset", "控制台重置的密码"

    schema_name = models.CharField("数据库模式", max_length=63)
    username = models.CharField("用户名", max_length=150)
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "须修改密码的账号"
        verbose_name_plural = "须修改密码的账号"
        constraints = [models.UniqueConstraint(fields=["schema_name", "username"], name="one_password_requirement")]

    def __str__(self):
        return f"{self.schema_name} {self.username}"


class EmergencyRole(models.Model):
    """Break-glass: a staff role held for a short time, given from the command line when the one person
    who holds it cannot act (tenants.actions.break_glass). It wins over the account's own role until
    `ends_at` or until it is ended; both are audited. Rows are kept: who held what, when and why.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emergency_roles",
                             verbose_name="账号")
    role = models.CharField("角色", max_length=20)
    reason = models.CharField("原因", max_length=500)
    starts_at = models.DateTimeField("开始", auto_now_add=True)
    ends_at = models.DateTimeField("到期")
    ended_at = models.DateTimeField("提前结束", null=True, blank=True)
    granted_by = models.CharField("授予者", max_length=150)

    class Meta:
        verbose_name = "紧急授权"
        verbose_name_plural = "紧急授权"
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.user} {self.role}"
