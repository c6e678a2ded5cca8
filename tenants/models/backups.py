"""Backups of sites and the media swaps a restore left to finish (public schema)."""

from pathlib import Path

from django.conf import settings
from django.db import models

from .registry import GovSite, SiteStatus


class SiteBackup(models.Model):
    """One backup file of one site (tenants.backup_file), made on demand or by the schedule.

    Kept when the site is deleted: its registry fields are copied here so the backup can
    still be found, listed and restored as a new site.
    """

    class Trigger(models.TextChoices):
        MANUAL = "manual", "手动"
        SCHEDULED = "scheduled", "定时"
        BEFORE_RESTORE = "before_restore", "恢复前自动"

    site = models.ForeignKey(
        GovSite, verbose_name="站点", null=True, blank=True, on_delete=models.SET_NULL, related_name="backups"
    )
    site_name = models.CharField("站点名称", max_length=100)
    region_code = models.CharField("区划代码", max_length=9, db_index=True)
    schema_name = models.CharField("数据库模式", max_length=63)
    # Relative to SITE_BACKUP_ROOT, so the folder can move with the setting.
    file_name = models.CharField("文件", max_length=255, unique=True)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    table_count = models.PositiveIntegerField("数据表数")
    row_count = models.BigIntegerField("数据行数")
    media_count = models.PositiveIntegerField("文件数")
    trigger = models.CharField("方式", max_length=20, choices=Trigger.choices, default=Trigger.MANUAL)
    created_at = models.DateTimeField("备份时间", auto_now_add=True, db_index=True)
    created_by = models.CharField("操作人", max_length=150)
    # Set when the file was read back in full and every checksum matched; cleared if a later check fails.
    verified_at = models.DateTimeField("校验时间", null=True, blank=True)
    problem = models.CharField("问题", max_length=300, blank=True)

    class Meta:
        verbose_name = "站点备份"
        verbose_name_plural = "站点备份"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.site_name}（{self.region_code}）{self.created_at:%Y-%m-%d %H:%M}"

    @property
    def path(self):
        return Path(settings.SITE_BACKUP_ROOT) / self.file_name

    @property
    def is_verified(self):
        return self.verified_at is not None and not self.problem

    @classmethod
    def deletable_for(cls, site):
        """The newest verified backup made since `site` stopped changing (suspended or archived), or None."""
        if site.status == SiteStatus.ACTIVE or site.status_changed_at is None:
            return None
        return (
            cls.objects.filter(site=site, schema_name=site.schema_name, verified_at__isnull=False, problem="",
                               created_at__gte=site.status_changed_at)
            .order_by("-created_at").first()
        )


class PendingMediaSwap(models.Model):
    """Media folders a restore unpacked beside a site's folders, to be moved in once its schema is live.

    Written in the restore's own transaction: present exactly when the restored schema has committed
    and its files may not have moved in yet (the process died in between). Whoever finds one
    finishes the move (tenants.actions.finish_interrupted_restores), so database and files agree.
    """

    schema_name = models.CharField("数据库模式", max_length=63)
    staged = models.JSONField("待移入的文件夹")  # {media root: staging folder}
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "待完成的文件替换"
        verbose_name_plural = "待完成的文件替换"

    def __str__(self):
        return f"{self.schema_name} {self.created_at:%Y-%m-%d %H:%M}"
