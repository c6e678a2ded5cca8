from .disclosure import DisclosureReportPage, disclosure_report_slug, disclosure_report_title
from .website import AnnualReportPage, report_slug, report_title

__all__ = [
    "AnnualReportPage", "DisclosureReportPage", "disclosure_report_slug", "disclosure_report_title", "report_slug",
    "report_title",
]
