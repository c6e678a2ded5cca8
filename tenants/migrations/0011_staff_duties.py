"""三员分立: the console's roles become 系统管理员, 安全管理员, 审计管理员 (with 运维人员 and 监督员), and
emergency roles are recorded.

平台管理员 was every power at once; its members, and superusers without a role (the superuser
flag no longer gives one), become 系统管理员, the closest to their daily work. Nobody becomes
安全管理员 or 审计管理员 here: the operator names them (`staff_role <name> --role 安全管理员`),
as deploy/README.md says for the upgrade.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_ADMINISTRATOR, SYSTEM = "平台管理员", "系统管理员"
NEW_ROLES = ["系统管理员", "安全管理员", "审计管理员"]
ROLES = [*NEW_ROLES, "运维人员", "监督员"]


def split_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    old = Group.objects.filter(name=OLD_ADMINISTRATOR).first()
    if old is not None and not Group.objects.filter(name=SYSTEM).exists():
        old.name = SYSTEM
        old.save(update_fields=["name"])
    for name in NEW_ROLES:
        Group.objects.get_or_create(name=name)
    system = Group.objects.get(name=SYSTEM)
    for user in User.objects.filter(is_superuser=True, is_staff=True).exclude(groups__name__in=ROLES):
        user.groups.add(system)


def join_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    system = Group.objects.filter(name=SYSTEM).first()
    if system is not None and not Group.objects.filter(name=OLD_ADMINISTRATOR).exists():
        system.name = OLD_ADMINISTRATOR
        system.save(update_fields=["name"])
    Group.objects.filter(name__in=["安全管理员", "审计管理员"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("tenants", "0010_audit_chain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EmergencyRole",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(max_length=20, verbose_name="角色")),
                ("reason", models.CharField(max_length=500, verbose_name="原因")),
                ("starts_at", models.DateTimeField(auto_now_add=True, verbose_name="开始")),
                ("ends_at", models.DateTimeField(verbose_name="到期")),
                ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="提前结束")),
                ("granted_by", models.CharField(max_length=150, verbose_name="授予者")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="emergency_roles", to=settings.AUTH_USER_MODEL,
                                           verbose_name="账号")),
            ],
            options={"verbose_name": "紧急授权", "verbose_name_plural": "紧急授权", "ordering": ["-starts_at"]},
        ),
        migrations.RunPython(split_roles, join_roles),
    ]
