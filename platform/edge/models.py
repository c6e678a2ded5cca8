"""Edge purges that failed, kept until a retry succeeds (public schema)."""

from django.db import models


class PendingPurge(models.Model):
    """A host whose cached pages may be stale at the edge: a purge of it failed and will be retried.

    One row per host: a second failure for the same host updates the row. The
    `retry_edge_purges` job (a timer, every minute) retries due rows; the edge's own
    TTL (EDGE_CACHE_SHARED_MAX_AGE) bounds how long a page can stay stale if it never succeeds.
    """

    host = models.CharField("域名", max_length=253, unique=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近的错误", blank=True)
    first_failed_at = models.DateTimeField("首次失败", auto_now_add=True)
    next_attempt_at = models.DateTimeField("下次重试", db_index=True)

    class Meta:
        verbose_name = "待重试的缓存清除"
        verbose_name_plural = "待重试的缓存清除"

    def __str__(self):
        return f"{self.host} ({self.attempts})"


class PurgeMark(models.Model):
    """When the platform last cleared a host at the edge (sent, whether or not it arrived).

    The tamper probe (monitoring.tamper) reads it: an edge copy fetched before this moment may
    be stale, not altered, and a difference it shows is explained.
    """

    host = models.CharField("域名", max_length=253, unique=True)
    purged_at = models.DateTimeField("最近清除")

    class Meta:
        verbose_name = "缓存清除时间"
        verbose_name_plural = "缓存清除时间"

    def __str__(self):
        return f"{self.host} {self.purged_at:%Y-%m-%d %H:%M:%S}"
