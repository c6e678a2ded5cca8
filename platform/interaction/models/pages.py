"""领导信箱: the page citizens write to, look their message up on, and read published replies on.

Routes under the page's URL:
- ``/``          the form (GET) and the submission (POST); never cached (CSRF token, captcha);
- ``query/``     look a message up with its tracking code and query password (POST); never cached;
- ``replies/``   published exchanges with search and the mailbox's statistics; the same for every visitor;
- ``replies/<code>/``  one published exchange.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from columns.models import ColumnPage, ColumnType, in_column_of_type

from .. import actions
from ..limits import limited
from .messages import statistics

REPLY_DAYS_CHOICES = [(3, "3 个工作日"), (7, "7 个工作日"), (15, "15 个工作日")]
PUBLIC_PAGE_SIZE = 20


def default_reply_days():
    return settings.INTERACTION_REPLY_WORKING_DAYS


class MailboxPage(RoutablePageMixin, ColumnPage):
    intro = RichTextField("说明", blank=True, help_text="写信须知：受理范围、办理时限、隐私说明")
    reply_days = models.PositiveSmallIntegerField(
        "答复时限", choices=REPLY_DAYS_CHOICES, default=default_reply_days,
        help_text="自收到留言次日起计算的工作日（节假日、调休按国家安排）。修改只影响以后收到的留言。",
    )

    content_panels = [*Page.content_panels, FieldPanel("description"), FieldPanel("intro"), FieldPanel("reply_days")]
    subpage_types = []
    parent_page_types = ["columns.ColumnPage"]

    class Meta:
        verbose_name = "领导信箱"
        verbose_name_plural = "领导信箱"

    def save(self, *args, **kwargs):
        self.column_type = ColumnType.MAILBOX
        return super().save(*args, **kwargs)

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.INTERACTION)

    # --- citizens ------------------------------------------------------------------------

    def _render(self, request, template, context, *, status=200, private=False):
        response = render(request, template, {"page": self, "self": self, **context}, status=status)
        if private:
            add_never_cache_headers(response)
        return response

    @path("")
    def write(self, request):
        from ..forms import MessageForm  # forms load Wagtail's admin widgets, which need the models loaded

        form = MessageForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if limited(request, "interaction.submit", settings.INTERACTION_SUBMIT_RATE):
                form.is_valid()  # keep what the citizen typed on the page
                return self._render(
                    request, "interaction/mailbox_page.html",
                    {"form": form, "limited": True, "stats": statistics(self.messages.all())},
                    status=429, private=True,
                )
            if form.is_valid():
                with transaction.atomic():
                    message, password = actions.submit_message(self, form.cleaned_data)
                # Committed: only now may the citizen see the code.
                return self._render(
                    request, "interaction/mailbox_submitted.html",
                    {"message": message, "password": password}, private=True,
                )
        return self._render(
            request, "interaction/mailbox_page.html", {"form": form, "stats": statistics(self.messages.all())},
            status=400 if form.errors else 200, private=True,
        )

    @path("query/")
    def query(self, request):
        from ..forms import look_up  # as above

        context, status = look_up(request, self.messages.all())
        return self._render(request, "interaction/mailbox_query.html", context, status=status, private=True)

    @path("replies/")
    def replies(self, request):
        query = (request.GET.get("q") or "").strip()[:50]
        exchanges = self.messages.public().order_by("-replied_at")
        if query:
            exchanges = exchanges.filter(models.Q(subject__icontains=query) | models.Q(body__icontains=query))
        paginator = Paginator(exchanges, PUBLIC_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        return self._render(
            request, "interaction/mailbox_replies.html",
            {
                "query": query, "paginator": paginator, "page_obj": page_obj,
                "stats": statistics(self.messages.all()),
            },
        )

    @path("replies/<str:code>/")
    def reply_detail(self, request, code):
        message = self.messages.public().filter(tracking_code=code.upper()[:20]).first()
        if message is None:
            raise Http404("没有这条公开答复")
        return self._render(request, "interaction/mailbox_reply.html", {"message": message})
