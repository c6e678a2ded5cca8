"""The report's admin form: one field per figure of the national form, kept in the page's `figures`.

The fields are declared on the form, not the model, so the list of figures lives in one place
(figures.SECTIONS). Numbers and yes/no answers are required to submit or publish, not to save a
draft (Wagtail defers the required check of fields that are not model fields on "save draft").
Each computed figure shows the platform's count beside it, so an editor sees what they changed.
"""

from decimal import Decimal

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

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


class BaseAnnualReportForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        figures = self.instance.figures or {}
        computed = self.instance.computed or {}
        for key, figure in FIGURES.items():
            name = field_name(key)
            if name not in self.fields:
                continue
            self.initial.setdefault(name, to_form(figure, figures.get(key)))
            if figure.computed:
                self.fields[name].help_text = f"平台统计：{display(figure, computed.get(key))}。{figure.source}"

    def save(self, commit=True):
        edited = {
            key: to_stored(self.cleaned_data[field_name(key)])
            for key in FIGURES if field_name(key) in self.cleaned_data
        }
        self.instance.figures = {**(self.instance.figures or {}), **edited}
        return super().save(commit=commit)


AnnualReportForm = type(BaseAnnualReportForm)(
    "AnnualReportForm",
    (BaseAnnualReportForm,),
    {"__module__": __name__, **{field_name(key): form_field(figure) for key, figure in FIGURES.items()}},
)
