"""告知书 as PDF: the stored text, laid out as an official letter, drawn on the server by WeasyPrint.

The font is the system's (Debian's fonts-noto-cjk in production, any CJK font here), subset and
embedded, so the applicant's copy reads the same on every device. Nothing is fetched while
drawing: the text is the application's own, and the fetcher refuses every URL.
"""

import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _no_fetching(url, *args, **kwargs):
    raise ValueError(f"告知书不加载外部资源：{url}")


def notice_pdf(application):
    """The PDF bytes of `application`'s 告知书."""
    from weasyprint import HTML  # loads Pango: a machine without it loses the PDF, not the whole admin

    lines = application.notice.splitlines()
    # A notice ending with the body's name and the date (as drafted) is signed at the bottom right.
    signed = len(lines) >= 2 and _DATE_LINE.match(lines[-1].strip())
    html = render_to_string("disclosure/notice_pdf.html", {
        "application": application,
        "body": lines[:-2] if signed else lines, "signature": lines[-2:] if signed else [],
    })
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()


def response(application):
    """The 告知书 as a download, the same bytes for the office and the applicant; never cached."""
    answer = HttpResponse(notice_pdf(application), content_type="application/pdf")
    answer["Content-Disposition"] = content_disposition_header(True, f"告知书-{application.tracking_code}.pdf")
    answer["Cache-Control"] = "no-store"
    return answer
