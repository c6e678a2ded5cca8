"""倒签 in the site's admin: a back-dated policy document does not go out without a reason, and the
ones already live are the editors' to-do list (policies.backdating).

When an editor publishes, submits for review, restarts a review or approves a policy document whose
发布日期 is more than a day before the day it will first go out and no reason is written, the page is
saved as a draft instead and the editor is told both dates: correct the date, or write why in
“发布日期早于实际发布的说明” and publish again. Documents that went out back-dated by another way
(published in code, a reviewer's approval from the dashboard, content from before this check) are
flagged on the dashboard's 严重错误 veto and listed here until a reason is published with them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from wording import gate

from .backdating import backdated_documents, days_early, first_publication, is_backdated, note
from .models import PolicyDocumentPage


def _check(request, instance, parent):
    page = gate.as_posted(request, instance, parent)
    if page is None or not is_backdated(page):
        return
    gate.keep_draft(request)
    request.backdate_held = (page.published_date, timezone.localdate(first_publication(page)), days_early(page))


@hooks.register("before_edit_page")
def check_before_edit(request, page):
    if issubclass(page.specific_class, PolicyDocumentPage) and gate.going_out(request):
        _check(request, page.specific.get_latest_revision_as_object(), page.get_parent())


@hooks.register("before_create_page")
def check_before_create(request, parent_page, page_class):
    if issubclass(page_class, PolicyDocumentPage) and gate.going_out(request):
        _check(request, page_class(), parent_page)


def _tell(request, page):
    held = getattr(request, "backdate_held", None)
    if held is None:
        return
    published_date, first_day, days = held
    messages.warning(request, format_html(
        "本文件尚未发布或提交审核，已保存为草稿：发布日期 {} 比实际发布日期 {} 早 {} 天，网站检查视为“倒签”"
        "（严重错误）。请改正发布日期；确有原因的（例如纸质文件已于该日印发），在“发布日期早于实际发布的说明”"
        "中写明后再次发布或提交审核。", f"{published_date:%Y-%m-%d}", f"{first_day:%Y-%m-%d}", days))


@hooks.register("after_edit_page")
def tell_after_edit(request, page):
    _tell(request, page)


@hooks.register("after_create_page")
def tell_after_create(request, page):
    _tell(request, page)


def backdated(request):
    """The site's live back-dated documents, each with a link to correct it or write why."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    documents = list(backdated_documents().order_by("-first_published_at", "-pk")[:500])
    return render(request, "policies/backdated.html", {"rows": [(page, note(page)) for page in documents]})


@hooks.register("register_admin_urls")
def register_urls():
    return [path("policies/backdated/", backdated, name="policies_backdated")]


class BackdatedMenuItem(MenuItem):
    """Shown only while the site has back-dated documents, with how many."""

    def is_shown(self, request):
        request.backdated_count = backdated_documents().count()
        return bool(request.backdated_count)

    def render_component(self, request):
        component = super().render_component(request)
        count = getattr(request, "backdated_count", None)
        if count is None:
            count = backdated_documents().count()
        component.label = f"{self.label}（{count} 件）"
        return component


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return BackdatedMenuItem("倒签核查", reverse("policies_backdated"), icon_name="warning", order=254)
