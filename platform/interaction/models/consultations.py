"""征集调查: a draft put to the public for a fixed period, with questions; afterwards, 采纳情况.

A consultation page lives in a 征集调查 column. Citizens can send feedback only
while it is open (opens_at ≤ now < closes_at); afterwards the page shows the
feedback summary the editor publishes on the same page.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from columns.models import ColumnType, in_column_of_type

from ..limits import limited


class ConsultationState(models.TextChoices):
    UPCOMING = "upcoming", "尚未开始"
    OPEN = "open", "正在征集"
    CLOSED = "closed", "征集已结束"


class ConsultationPage(RoutablePageMixin, Page):
    summary_text = models.TextField("摘要", blank=True, max_length=300)
    intro = RichTextField("征集说明", help_text="征集的目的、范围、提交意见的方式")
    draft = RichTextField("征求意见稿", blank=True)
    draft_document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="征求意见稿附件", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    feedback_summary = RichTextField(
        "意见采纳情况", blank=True, help_text="征集结束后填写并发布：收到多少意见、采纳情况及理由",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary_text"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading="征集期"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("draft"), FieldPanel("draft_document")], heading="征求意见稿"),
        InlinePanel("questions", label="问题"),
        FieldPanel("feedback_summary"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary_text"), index.SearchField("draft")]
    subpage_types = []
    parent_page_types = ["columns.ColumnPage"]

    class Meta:
        verbose_name = "征集调查"
        verbose_name_plural = "征集调查"

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.CONSULTATION)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "截止时间必须晚于开始时间"})

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return ConsultationState.UPCOMING
        if now < self.closes_at:
            return ConsultationState.OPEN
        return ConsultationState.CLOSED

    def _render(self, request, context, *, status=200):
        state = self.state()
        response = render(request, "interaction/consultation_page.html", {
            "page": self, "self": self, "state": state, "State": ConsultationState, **context,
        }, status=status)
        if state == ConsultationState.OPEN:
            add_never_cache_headers(response)  # the form carries a CSRF token and a captcha
        elif state == ConsultationState.UPCOMING:  # the form must be there from the opening time (edge.headers)
            response.edge_max_age = (self.opens_at - timezone.now()).total_seconds()
        return response

    @path("")
    def consultation(self, request):
        from ..forms import FeedbackForm  # forms load Wagtail's admin widgets, which need the models loaded

        questions = list(self.questions.all())
        if request.method != "POST":
            form = FeedbackForm(questions=questions) if self.state() == ConsultationState.OPEN else None
            return self._render(request, {"form": form})
        form = FeedbackForm(request.POST, questions=questions)
        if self.state() != ConsultationState.OPEN:
            form.is_valid()
            return self._render(request, {"form": None, "refused": True}, status=400)
        if limited(request, "interaction.submit", settings.INTERACTION_SUBMIT_RATE):
            form.is_valid()
            return self._render(request, {"form": form, "limited": True}, status=429)
        if not form.is_valid():
            return self._render(request, {"form": form}, status=400)
        with transaction.atomic():
            feedback = Feedback.objects.create(
                consultation=self, name=form.cleaned_data["name"], contact=form.cleaned_data["contact"],
                comment=form.cleaned_data["comment"], answers=form.answers(),
            )
        response = render(request, "interaction/consultation_thanks.html", {
            "page": self, "self": self, "feedback": feedback,
        })
        add_never_cache_headers(response)
        return response


class ConsultationQuestion(Orderable):
    class Kind(models.TextChoices):
        TEXT = "text", "文字回答"
        CHOICE = "choice", "单项选择"

    page = ParentalKey(ConsultationPage, related_name="questions", on_delete=models.CASCADE)
    text = models.CharField("问题", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField("选项", blank=True, help_text="单项选择题的选项，每行一个")
    required = models.BooleanField("必答", default=False)

    panels = [FieldPanel("text"), FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]), FieldPanel("choices")]

    def clean(self):
        if self.kind == self.Kind.CHOICE and len(self.choice_list()) < 2:
            raise ValidationError({"choices": "单项选择题至少需要两个选项，每行一个"})

    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def __str__(self):
        return self.text


class Feedback(models.Model):
    """One citizen's feedback on a consultation: private to the site's editors."""

    consultation = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="feedback")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    name = models.CharField("姓名", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    # {question id (str): answer text}, answers as the citizen gave them (sanitised).
    answers = models.JSONField("回答", default=dict)
    comment = models.TextField("意见建议", blank=True)

    class Meta:
        verbose_name = "征集意见"
        verbose_name_plural = "征集意见"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.consultation_id} {self.submitted_at:%Y-%m-%d %H:%M}"

    def answer_rows(self, questions):
        return [(question, self.answers.get(str(question.pk), "")) for question in questions]
