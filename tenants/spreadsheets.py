"""CSV for people who open it in a spreadsheet."""

import csv

from django.http import HttpResponse


def csv_download(filename, header):
    """(response, writer): a CSV attachment Excel opens as UTF-8 (it needs the BOM), header row written."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    return response, writer


def csv_safe(value):
    """Text a citizen or an editor typed must not run as a formula when the CSV is opened (=, +, -, @ first)."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
