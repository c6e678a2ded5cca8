"""报告 → 年度报表 in each site's admin: the site's reports, and the 生成年度报表 button."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from columns.models import HomePage

from .actions import ReportError, generate_annual_report
from .models import AnnualReportPage


class GenerateForm(forms.Form):
    year = forms.IntegerField(label="统计年度", help_text="年度报表须于次年 1 月 31 日前在首页发布")
    overwrite_edits = forms.BooleanField(
        label="以数据覆盖已修改的统计数字", required=False,
        help_text="不勾选时，编辑修改过的统计数字保持不变；平台无法统计、需手工填写的数字始终不变",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Last year's report is the one due (by 31 January); the range is checked by the action, which says why.
        self.fields["year"].initial = timezone.localdate().year - 1


def _check_permission(user, year):
    existing = AnnualReportPage.objects.filter(year=year, depth=3).first()
    if existing is not None:
        allowed = existing.permissions_for_user(user).can_edit()
    else:
        home = HomePage.objects.first()
        allowed = home is not None and home.permissions_for_user(user).can_add_subpage()
    if not allowed:
        raise PermissionDenied


@permission_required("wagtailadmin.access_admin", raise_exception=True)
def annual_reports(request):
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        _check_permission(request.user, year)
        try:
            result = generate_annual_report(
                request.site_tenant, year, acting_user=request.user,
                overwrite_edits=form.cleaned_data["overwrite_edits"],
            )
        except ReportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, result.summary() + "。请核对、补充后提交审核发布。")
            return redirect("wagtailadmin_pages:edit", result.page.pk)
    reports = AnnualReportPage.objects.filter(depth=3).order_by("-year")
    return render(request, "reports/admin/annual_reports.html", {"form": form, "reports": reports})


@hooks.register("register_admin_urls")
def register_urls():
    return [path("annual-reports/", annual_reports, name="annual_reports_admin")]


@hooks.register("register_reports_menu_item")
def register_menu_item():
    return MenuItem("年度报表", reverse("annual_reports_admin"), icon_name="table", order=910)
