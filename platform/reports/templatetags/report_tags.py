"""The home page's statutory link to the site's latest published annual report."""

from django import template

from ..models import AnnualReportPage

register = template.Library()


@register.simple_tag
def latest_annual_report(home):
    """The newest live report directly under `home` (one query), or None.

    Not `.public()`: that costs a query of its own on every home page, and a statutory report is never private.
    """
    return AnnualReportPage.objects.live().child_of(home).order_by("-year").only(
        "title", "url_path", "year"
    ).first()
