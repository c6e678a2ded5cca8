"""确认: an editor says why the doubtful hits of a page's latest draft are right; audited, and the
confirmation holds for exactly that content (its digest)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from wagtail.models import Page

from tenants import audit
from tenants.models import AuditAction, current_site

from .checks import check_page, hits_html
from .models import Finding, Kind


class ConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(label="确认理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="例如：引用的是历史文献原文；号码为单位办公电话，不是个人信息")


def confirm(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    draft = page.get_latest_revision_as_object()
    result = check_page(draft)
    form = ConfirmForm(request.POST or None, initial={"digest": result.digest})
    if request.method == "POST" and form.is_valid():
        if result.serious:
            form.add_error(None, "本页含有严重错误，须修改后才能发布，不能确认")
        elif form.cleaned_data["digest"] != result.digest:
            form.add_error(None, "本页内容在此期间已修改，请核对新的内容后再确认")
        else:
            audit.record_here(AuditAction.CONFIRM_WORDING, user=request.user, page=page.pk, title=page.title,
                              digest=result.digest, reason=form.cleaned_data["reason"],
                              hits=result.summary(result.doubtful))
            messages.success(request, "已记录确认理由。请再次点击“发布”或“提交审核”。")
            return redirect("wagtailadmin_pages:edit", page.pk)
    return render(request, "wording/confirm.html", {
        "page": page, "form": form, "result": result,
        "serious": hits_html(result.serious) if result.serious else "",
        "doubtful": hits_html(result.doubtful) if result.doubtful else "",
    }, status=400 if form.errors else 200)


def findings(request):
    """The site's to-do list: what the latest scan found in its published items, serious errors first."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    rows = Finding.objects.filter(site=current_site()).order_by(
        models.Case(models.When(kind=Kind.SERIOUS, then=0), default=1), "title", "pk")
    return render(request, "wording/findings.html", {"findings": rows[:500], "total": rows.count(),
                                                     "serious": rows.filter(kind=Kind.SERIOUS).count()})
