"""The 政策文件库's filters, 文号 search and pagination.

Everything here comes from the query string, so every value is hostile until a
form has accepted it. A value the form rejects (an unknown year or topic, markup,
an over-long 文号) is dropped: the list is shown as if that filter were unset,
never an error page. A bad page number shows page 1 or the last page.
"""

from django import forms
from django.core.paginator import Paginator

from .choices import Topic, Validity
from .numbers import normalise_document_number

PAGE_SIZE = 20
ANY = ("", "全部")


class PolicyFilterForm(forms.Form):
    """The library's search form. Years and organs offered are those the site's documents have."""

    number = forms.CharField(
        label="发文字号", max_length=50, required=False, help_text="可输入部分文号，如 〔2024〕3号"
    )
    year = forms.TypedChoiceField(label="发布年份", coerce=int, empty_value=None, required=False)
    topic = forms.ChoiceField(label="主题分类", choices=[ANY, *Topic.choices], required=False)
    organ = forms.ChoiceField(label="发文机关", required=False)
    validity = forms.ChoiceField(label="有效性", choices=[ANY, *Validity.choices], required=False)

    def __init__(self, *args, years, organs, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["year"].choices = [ANY, *((year, f"{year}年") for year in years)]
        self.fields["organ"].choices = [ANY, *((organ, organ) for organ in organs)]

    def accepted(self):
        """The filters that passed validation, without the empty ones."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def filter_documents(documents, accepted):
    if "year" in accepted:
        documents = documents.filter(published_date__year=accepted["year"])
    if "topic" in accepted:
        documents = documents.filter(topic=accepted["topic"])
    if "organ" in accepted:
        documents = documents.filter(issuing_organ=accepted["organ"])
    if "validity" in accepted:
        documents = documents.filter(validity=accepted["validity"])
    number = normalise_document_number(accepted.get("number"))
    if number:
        documents = documents.filter(document_number_normalised__contains=number)
    return documents.order_by("-published_date", "-first_published_at", "-pk")


def library_context(documents, params):
    """Template context of the library page for the query string `params`."""
    years = [day.year for day in documents.dates("published_date", "year", order="DESC")]
    organs = list(documents.order_by("issuing_organ").values_list("issuing_organ", flat=True).distinct())
    accepted = PolicyFilterForm(params, years=years, organs=organs).accepted()
    paginator = Paginator(filter_documents(documents, accepted), PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    return {
        # Unbound, showing only what was accepted: a rejected value is neither echoed nor flagged.
        "filter_form": PolicyFilterForm(initial=accepted, years=years, organs=organs),
        "filtered": bool(accepted),
        "paginator": paginator,
        "page_obj": page_obj,
    }
