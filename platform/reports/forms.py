"""The reports' admin forms: one field per figure of the national form, kept in the page's `figures`.

The fields are declared on the form, not the model, so the list of figures lives in one place
(figures.SECTIONS for the website's report, disclosure_figures for the disclosure report).
Numbers and yes/no answers are required to submit or publish, not to save a draft (Wagtail
defers the required check of fields that are not model fields on "save draft").
Each computed figure shows the platform's count beside it, so an editor sees what they changed.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from . import disclosure_figures
from .figures import COUNT, DECIMAL, FIGURES, FLAG, display

FLAG_CHOICES = [("", "请选择"), ("yes", "是"), ("no", "否")]


def field_name(key):
    return f"figure_{key}"


def _flag(value):
    return value == "yes"


def form_field(figure):
    options = {
        "label": f"{figure.label}（{figure.unit}）" if figure.unit else figure.label,
        "required": figure.required,
        "error_messages": {"required": f"请填写“{figure.label}”后再提交审核或发布（不适用的填 0 或选“否”）。"},
    }
    if figure.kind == COUNT:
        return forms.IntegerField(min_value=0, **options)
    if figure.kind == DECIMAL:
        return forms.DecimalField(min_value=0, max_digits=9, decimal_places=1, **options)
    if figure.kind == FLAG:
        return forms.TypedChoiceField(choices=FLAG_CHOICES, coerce=_flag, empty_value=None, **options)
    return forms.CharField(max_length=100, **options)


def to_form(figure, value):
    if figure.kind == FLAG and value is not None:
        return "yes" if value else "no"
    return value


def to_stored(value):
    """A cleaned form value as JSON: decimals as numbers, an empty text as not filled in."""
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None
    return value


class BaseReportForm(WagtailAdminPageForm):
    figures = {}  # key: Figure, of the report's kind

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        figures = self.instance.figures or {}
        computed = self.instance.computed or {}
        for key, figure in self.figures.items():
            name = field_name(key)
            if name not in self.fields:
                continue
            self.initial.setdefault(name, to_form(figure, figures.get(key)))
            # Inside a table the label is not shown: the input still names its row and column.
            self.fields[name].widget.attrs.setdefault("aria-label", self.fields[name].label)
            if figure.computed:
                self.fields[name].help_text = f"平台统计：{display(figure, computed.get(key))}。{figure.source}"

    def save(self, commit=True):
        edited = {
            key: to_stored(self.cleaned_data[field_name(key)])
            for key in self.figures if field_name(key) in self.cleaned_data
        }
        self.instance.figures = {**(self.instance.figures or {}), **edited}
        return super().save(commit=commit)


class BaseDisclosureReportForm(BaseReportForm):
    def clean(self):
        cleaned = super().clean()
        # A draft may be saved half filled in; what is submitted or published must add up.
        if not self.is_deferred_validation:
            figures = {key: cleaned.get(field_name(key)) for key in disclosure_figures.FIGURES}
            wrong = disclosure_figures.unbalanced(figures)
            if wrong:
                raise ValidationError(
                    "申请情况表不平衡：新收申请与上年结转之和应等于办理结果总计与结转下年之和。请核对："
                    + "；".join(wrong)
                )
        return cleaned


def report_form(name, base, figures):
    """`base` with one field per figure and the figures it edits."""
    fields = {field_name(key): form_field(figure) for key, figure in figures.items()}
    return type(base)(name, (base,), {"__module__": __name__, "figures": figures, **fields})


AnnualReportForm = report_form("AnnualReportForm", BaseReportForm, FIGURES)
DisclosureReportForm = report_form("DisclosureReportForm", BaseDisclosureReportForm, disclosure_figures.FIGURES)
