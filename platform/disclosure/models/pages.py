"""依申请公开: the page under 信息公开 where the public applies and follows an application.

Routes under the page's URL, none of them cached (CSRF tokens, captchas, personal answers):
- ``/``                 the form (GET) and the application (POST);
- ``query/``            look an application up with its tracking code and query password (POST):
                        its status, deadline and history in plain words, and its answer;
- ``file/?t=<token>``   a file of the answer, by a signed link the status page hands out (1 hour); the
                        token is in the query since Wagtail's page paths take no ":";
- ``notice/?t=<token>`` the answer's 告知书 as PDF, by a signed link of the same kind.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from columns.models import ColumnPage, ColumnType, in_column_of_type
from interaction.limits import limited

from .. import clock, pdf
from ..choices import Status
from .applications import ApplicationFile, FileKind

FILE_LINK_SALT = "disclosure.answer-file"
NOTICE_LINK_SALT = "disclosure.notice"
FILE_LINK_SECONDS = 3600


class ApplicationPage(RoutablePageMixin, ColumnPage):
    intro = RichTextField("申请须知", blank=True, help_text="受理范围、受理机构、答复时限、不收费的说明等")

    content_panels = [*Page.content_panels, FieldPanel("description"), FieldPanel("intro")]
    subpage_types = []
    parent_page_types = ["columns.ColumnPage"]

    class Meta:
        verbose_name = "依申请公开"
        verbose_name_plural = "依申请公开"

    def save(self, *args, **kwargs):
        self.column_type = ColumnType.APPLICATION
        return super().save(*args, **kwargs)

    @classmethod
    def can_exist_under(cls, parent):
        return super().can_exist_under(parent) and in_column_of_type(parent, ColumnType.DISCLOSURE)

    def _render(self, request, template, context, *, status=200):
        response = render(request, template, {"page": self, "self": self, "clock": clock, **context}, status=status)
        add_never_cache_headers(response)
        return response

    @path("")
    def apply(self, request):
        from ..forms import ApplicationForm  # forms import interaction's, which load Wagtail's admin widgets

        posted = request.method == "POST"
        form = ApplicationForm(request.POST if posted else None, request.FILES if posted else None)
        if request.method == "POST":
            if limited(request, "disclosure.apply", settings.INTERACTION_SUBMIT_RATE):
                form.is_valid()  # keep what the applicant typed on the page
                return self._render(request, "disclosure/application_page.html", {"form": form, "limited": True},
                                    status=429)
            if form.is_valid():
                from .. import actions  # actions import these models: not at module level

                with transaction.atomic():
                    application, password = actions.submit_application(self, form.cleaned_data)
                # Committed: only now may the applicant see the code.
                return self._render(request, "disclosure/application_submitted.html",
                                    {"application": application, "password": password})
        return self._render(request, "disclosure/application_page.html", {"form": form},
                            status=400 if form.errors else 200)

    @path("query/")
    def query(self, request):
        from ..forms import LookupForm

        form = LookupForm(request.POST if request.method == "POST" else None)
        application, status = None, 200
        if request.method == "POST":
            if limited(request, "disclosure.lookup", settings.INTERACTION_LOOKUP_RATE):
                form.is_valid()
                return self._render(request, "disclosure/application_query.html", {"form": form, "limited": True},
                                    status=429)
            if not form.is_valid():
                status = 400
            else:
                application = form.find(self.applications.all())
                status = 200 if application else 404
        context = {"form": form, "application": application}
        if application is not None:
            context["events"] = application.events.all()
            context["notice_token"] = signing.dumps({"c": application.tracking_code}, salt=NOTICE_LINK_SALT)
            context["answer_files"] = [
                (row, signing.dumps({"c": application.tracking_code, "f": row.pk}, salt=FILE_LINK_SALT))
                for row in application.files.filter(kind=FileKind.ANSWER)
            ]
        return self._render(request, "disclosure/application_query.html", context, status=status)

    @path("notice/")
    def notice(self, request):
        try:
            ids = signing.loads(request.GET.get("t", "")[:200], salt=NOTICE_LINK_SALT, max_age=FILE_LINK_SECONDS)
        except signing.BadSignature:
            raise Http404("链接已失效，请重新查询后下载") from None
        application = self.applications.filter(tracking_code=ids.get("c"), status=Status.CLOSED).first()
        if application is None:
            raise Http404("没有这份告知书")
        return pdf.response(application)

    @path("file/")
    def answer_file(self, request):
        try:
            ids = signing.loads(request.GET.get("t", "")[:200], salt=FILE_LINK_SALT, max_age=FILE_LINK_SECONDS)
        except signing.BadSignature:
            raise Http404("链接已失效，请重新查询后下载") from None
        row = ApplicationFile.objects.filter(
            # By the application's random code, not its row id: ids repeat from one site's schema to the next.
            pk=ids.get("f"), application__tracking_code=ids.get("c"), application__page=self, kind=FileKind.ANSWER,
        ).first()
        if row is None:
            raise Http404("没有这个文件")
        try:
            handle = row.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在") from None
        response = FileResponse(handle, as_attachment=True, filename=row.name)
        add_never_cache_headers(response)
        return response
