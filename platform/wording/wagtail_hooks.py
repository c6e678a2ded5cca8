"""The check before publishing, in every site's admin, for every page type.

When an editor publishes, submits for review, restarts a review or approves, the page's own form is
bound to what they sent (on a copy: the view's page is not touched) and its texts are checked:
- a serious error (严重错误): the page is saved as a draft instead, nothing is lost, and the editor
  sees each hit in its context with the correct form; the refusal is audited;
- a suspect term or personal data: the same, with a link to say why it is right (确认), audited; once
  confirmed, the same content goes out on the next click.
The reviewer's approval from the workflow dashboard publishes what was checked at submission; a list
changed in between is for the archive re-scan.
"""

from django.contrib import messages
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants import audit
from tenants.models import AuditAction, current_site

from . import admin_views, gate
from .checks import check_page, held, hits_html, is_confirmed
from .models import Finding, Kind


def _hold(request, result):
    gate.keep_draft(request)
    request.wording_held = result


def _check(request, instance, parent):
    page = gate.as_posted(request, instance, parent)
    if page is None:
        return
    result = check_page(page)
    if held(result, result.doubtful and is_confirmed(instance.pk, result.digest)):
        _hold(request, result)


@hooks.register("before_edit_page")
def check_before_edit(request, page):
    if gate.going_out(request):
        # A fresh copy of what the editor is editing (its latest revision), as the edit view binds its form.
        _check(request, page.specific.get_latest_revision_as_object(), page.get_parent())


@hooks.register("before_create_page")
def check_before_create(request, parent_page, page_class):
    if gate.going_out(request):
        _check(request, page_class(), parent_page)


def _tell(request, page):
    result = getattr(request, "wording_held", None)
    if result is None:
        return
    if result.serious:
        audit.record_here(AuditAction.REFUSE_WORDING, user=request.user, page=page.pk, title=page.title,
                          hits=result.summary(result.serious))
        messages.error(request, format_html("本页含有严重错误，未能发布或提交审核，已保存为草稿。"
                                            "请修改以下内容后再发布：{}", hits_html(result.serious)))
        return
    confirm = reverse("wording_confirm", args=(page.pk,))
    messages.warning(request, format_html(
        "本页含有疑似错误或个人信息，尚未发布或提交审核，已保存为草稿。请核对：{}确认无误的，"
        '<a href="{}">写明理由并确认</a>后再次发布或提交审核。', hits_html(result.doubtful), confirm))


@hooks.register("after_edit_page")
def tell_after_edit(request, page):
    _tell(request, page)


@hooks.register("after_create_page")
def tell_after_create(request, page):
    _tell(request, page)


@hooks.register("insert_global_admin_css")
def hits_css():
    return format_html('<link rel="stylesheet" href="{}">', static("wording/admin.css"))


@hooks.register("register_admin_urls")
def register_urls():
    return [path("wording/confirm/<int:page_id>/", admin_views.confirm, name="wording_confirm"),
            path("wording/", admin_views.findings, name="wording_findings")]


class FindingsMenuItem(MenuItem):
    def render_component(self, request):
        component = super().render_component(request)
        serious = Finding.objects.filter(site=current_site(), kind=Kind.SERIOUS).count()
        if serious:
            component.label = f"{self.label}（{serious} 处严重错误）"
        return component


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return FindingsMenuItem("错敏词检查", reverse("wording_findings"), icon_name="warning", order=253)
