"""报告 → 年度报表 and 报告 → 政府信息公开年报 in each site's admin: the site's reports of each kind, and
the button that generates one."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from columns.models import ColumnPage, ColumnType, HomePage

from .actions import ReportError, generate_annual_report, generate_disclosure_report
from .models import AnnualReportPage, DisclosureReportPage


class GenerateForm(forms.Form):
    year = forms.IntegerField(label="统计年度", help_text="年度报告须于次年 1 月 31 日前发布")
    overwrite_edits = forms.BooleanField(
        label="以数据覆盖已修改的统计数字", required=False,
        help_text="不勾选时，编辑修改过的统计数字保持不变；平台无法统计、需手工填写的数字始终不变",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Last year's report is the one due (by 31 January); the range is checked by the action, which says why.
        self.fields["year"].initial = timezone.localdate().year - 1


@dataclass(frozen=True)
class Kind:
    title: str
    page_class: type
    generate: object  # the action
    parent: object  # () -> the page the reports are children of, or None
    duty: str  # what the page says the report is for


def _disclosure_column():
    return ColumnPage.objects.filter(column_type=ColumnType.DISCLOSURE_REPORT).first()


KINDS = {
    "website": Kind("年度报表", AnnualReportPage, generate_annual_report, lambda: HomePage.objects.first(),
                    "政府网站工作年度报表须于每年 1 月 31 日前在网站首页发布。"),
    "disclosure": Kind("政府信息公开年报", DisclosureReportPage, generate_disclosure_report, _disclosure_column,
                       "政府信息公开工作年度报告须于每年 1 月 31 日前在“信息公开 → 政府信息公开年报”栏目发布"
                       "（县级以上人民政府的政府信息公开工作主管部门于 3 月 31 日前发布本级政府的年度报告）。"),
}


def _check_permission(user, kind, parent, year):
    if parent is None:
        return  # nothing to make a report in: the action refuses, saying why
    existing = kind.page_class.objects.child_of(parent).filter(year=year).first()
    if existing is not None:
        allowed = existing.permissions_for_user(user).can_edit()
    else:
        allowed = parent.permissions_for_user(user).can_add_subpage()
    if not allowed:
        raise PermissionDenied


def _view(kind_name):
    kind = KINDS[kind_name]

    @permission_required("wagtailadmin.access_admin", raise_exception=True)
    def view(request):
        form = GenerateForm(request.POST or None)
        parent = kind.parent()
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            _check_permission(request.user, kind, parent, year)
            try:
                result = kind.generate(
                    request.site_tenant, year, acting_user=request.user,
                    overwrite_edits=form.cleaned_data["overwrite_edits"],
                )
            except ReportError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, result.summary() + "。请核对、补充后提交审核发布。")
                return redirect("wagtailadmin_pages:edit", result.page.pk)
        reports = kind.page_class.objects.child_of(parent).order_by("-year") if parent else []
        return render(request, "reports/admin/annual_reports.html",
                      {"form": form, "reports": reports, "kind": kind})

    return view


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("annual-reports/", _view("website"), name="annual_reports_admin"),
        path("disclosure-reports/", _view("disclosure"), name="disclosure_reports_admin"),
    ]


@hooks.register("register_reports_menu_item")
def register_menu_item():
    return MenuItem("年度报表", reverse("annual_reports_admin"), icon_name="table", order=910)


@hooks.register("register_reports_menu_item")
def register_disclosure_menu_item():
    return MenuItem("政府信息公开年报", reverse("disclosure_reports_admin"), icon_name="table", order=911)
