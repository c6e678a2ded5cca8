"""Long operations the console hands to the job worker (tenants.jobs), one row per request (public schema)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .registry import GovSite


class JobKind(models.TextChoices):
    BACKUP = "backup", "备份站点"
    VERIFY_BACKUP = "verify_backup", "校验备份"
    RESTORE = "restore", "从备份恢复站点"
    RESTORE_AS_NEW = "restore_as_new", "从备份恢复为新站点"
    FOLD = "fold", "乡镇站点并入县级站点"
    DELETE = "delete", "删除站点"
    BACKUP_ALL = "backup_all", "备份全部站点"


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    # Refused or failed on the way: the action's own transaction left the site as it was.
    FAILED = "failed", "未完成"
    # The worker died while it ran (killed, the machine restarted): see tenants.jobs.settle_interrupted.
    INTERRUPTED = "interrupted", "已中断"


UNFINISHED = (JobState.QUEUED, JobState.RUNNING)


class SiteJob(models.Model):
    """One long operation somebody asked for: what, on which site, how far it got and how it ended.

    Written with its task (django-tasks' DBTaskResult) in one transaction by tenants.jobs.start;
    the worker updates `step`/`done`/`total` at each phase boundary, outside the action's own
    transaction, so the console's job page shows them while the job runs.
    """

    kind = models.CharField("操作", max_length=20, choices=JobKind.choices)
    state = models.CharField("状态", max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    site = models.ForeignKey(
        GovSite, verbose_name="站点", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # Kept as text too: a deleted site's job still says which site it was.
    site_label = models.CharField("站点（记录）", max_length=120, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    step = models.CharField("当前步骤", max_length=200, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)  # set by jobs that count (站点数)
    outcome = models.TextField("结果", blank=True)
    # What the job made or changed, for the console's links: {"site": id, "backup": id}.
    result = models.JSONField("结果对象", default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField("来源", max_length=100, blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台操作"
        verbose_name_plural = "后台操作"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One thing at a time per site: a second request is refused when it is made, not when it runs.
            models.UniqueConstraint(
                fields=["site"], condition=Q(state__in=UNFINISHED), name="one_unfinished_job_per_site"
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind=JobKind.BACKUP_ALL, state__in=UNFINISHED),
                name="one_unfinished_platform_backup",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.site_label} {self.get_state_display()}"

    @property
    def finished(self):
        return self.state not in UNFINISHED

    @property
    def title(self):
        return f"{self.get_kind_display()}：{self.site_label}" if self.site_label else self.get_kind_display()
