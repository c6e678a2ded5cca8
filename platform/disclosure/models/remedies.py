"""行政复议 and 行政诉讼 against the answer to an application, as the office records them.

The annual disclosure report counts them (its table 四) in three groups: review, litigation
without review, litigation after review; each by outcome as it stood at the end of the year.
A case appears in the report of every year it was open in: the year it was filed, and each
following year it was still undecided at the start of (as 尚未审结 until the year it is decided).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class RemedyKind(models.TextChoices):
    REVIEW = "review", "行政复议"
    LITIGATION = "litigation", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class RemedyQuerySet(models.QuerySet):
    def in_report_of(self, year):
        """The cases the report of `year` counts: filed that year, or filed before and not decided
        before 1 January."""
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return self.filter(filed_on__lte=last).filter(
            models.Q(filed_on__gte=first) | models.Q(decided_on__isnull=True) | models.Q(decided_on__gte=first)
        )


class RemedyCase(models.Model):
    application = models.ForeignKey(
        "disclosure.Application", verbose_name="政府信息公开申请", on_delete=models.CASCADE, related_name="remedies",
    )
    kind = models.CharField("类别", max_length=30, choices=RemedyKind.choices)
    filed_on = models.DateField("申请复议或起诉日期")
    authority = models.CharField("复议机关或人民法院", max_length=100)
    case_number = models.CharField("案号", max_length=100, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField("决定或判决日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = RemedyQuerySet.as_manager()

    class Meta:
        verbose_name = "行政复议、行政诉讼"
        verbose_name_plural = "行政复议、行政诉讼"
        ordering = ["filed_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_number or self.filed_on}"

    def outcome_at_end_of(self, year):
        """The outcome the report of `year` shows: 尚未审结 if it was decided only after that year."""
        if self.decided_on is None or self.decided_on.year > year:
            return Outcome.PENDING
        return self.outcome
