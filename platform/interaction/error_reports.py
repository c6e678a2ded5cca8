"""纠错: the public's error reports about a page of this site, from the 纠错 link every page carries.

Routes (config/urls_site.py), never cached (CSRF token, captcha, a citizen's report):
- ``/jiucuo/?url=<address>``  the form about that page (GET) and the report (POST);
- ``/jiucuo/query/``           a report looked up with its tracking code and query password (POST).

A report is a Message of category 纠错 (actions.submit_error_report), so the editors' inbox holds,
answers and counts it like any message, on the region's error-report deadline.
"""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from tenants.models import Domain

from . import actions
from .forms import ErrorReportForm, look_up
from .limits import limited
from .models import Message

# Paths that show a citizen nothing to report: the admin, this form, and the machinery behind pages.
NOT_PAGES = ("/admin/", "/jiucuo/", "/captcha/", "/_count/")
NOT_ON_SITE = "这个地址不是本网站的页面，请填写本网站上出错页面的网址"


@dataclass(frozen=True)
class ReportedPage:
    path: str
    title: str = ""  # the page's title when it is a page of the site's page tree


def page_on_site(request, address):
    """The page of the request's site at `address` (a path, or a full address on one of the site's
    domains), or ValidationError saying why it is not one."""
    if not address:
        raise ValidationError("请填写出错页面的网址")
    try:
        parts = urlsplit(address)
        host = parts.hostname
    except ValueError:
        raise ValidationError(NOT_ON_SITE) from None
    if parts.scheme not in ("", "http", "https") or (parts.netloc and not _is_site_host(request, host)):
        raise ValidationError(NOT_ON_SITE)
    path = parts.path
    if not path.startswith("/") or path.startswith(NOT_PAGES):
        raise ValidationError(NOT_ON_SITE)
    try:
        match = resolve(path, urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        raise ValidationError(NOT_ON_SITE) from None
    if match.url_name != "wagtail_serve":
        return ReportedPage(path)  # one of the site's own views: search, site map, report summaries
    site = Site.find_for_request(request)
    if site is None:
        raise ValidationError(NOT_ON_SITE)
    try:
        page = site.root_page.specific.route(request, [part for part in unquote(path).split("/") if part])[0]
    except Http404:
        raise ValidationError("本网站没有这个页面（可能已删除或地址有误），请核对出错页面的网址") from None
    return ReportedPage(path, page.title)


def _is_site_host(request, host):
    if not host:
        return False
    host = host.rstrip(".").removeprefix("www.")
    if host == request.get_host().rsplit(":", 1)[0].lower():
        return True
    site = getattr(request, "site_tenant", None)
    return site is not None and Domain.objects.filter(tenant=site, domain=host).exists()


def _render(request, template, context, *, status=200):
    context = {"reply_days": settings.INTERACTION_ERROR_REPORT_WORKING_DAYS, **context}
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    def find_page(address):
        return page_on_site(request, address)

    if request.method != "POST":
        address = (request.GET.get("url") or "").strip()[:500]
        form = ErrorReportForm(initial={"url": address}, find_page=find_page)
        reported, problem = None, ""
        if address:
            try:
                reported = page_on_site(request, address)
            except ValidationError as exc:
                problem = exc.messages[0]
        return _render(request, "interaction/error_report.html", {
            "form": form, "reported": reported, "problem": problem,
        })
    form = ErrorReportForm(request.POST, find_page=find_page)
    if limited(request, "interaction.submit", settings.INTERACTION_SUBMIT_RATE):
        form.is_valid()  # keep what the citizen typed on the page
        return _render(request, "interaction/error_report.html", {
            "form": form, "reported": form.page, "limited": True,
        }, status=429)
    if not form.is_valid():
        return _render(request, "interaction/error_report.html", {"form": form, "reported": form.page}, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        message, password = actions.submit_error_report({
            "page_url": data["url"], "page_title": form.page.title, "body": data["body"], **data["contact"],
        })
    # Committed: only now may the citizen see the code.
    return _render(request, "interaction/error_report_submitted.html", {"message": message, "password": password})


@require_http_methods(["GET", "HEAD", "POST"])
def query(request):
    context, status = look_up(request, Message.objects.error_reports())
    return _render(request, "interaction/error_report_query.html", context, status=status)
