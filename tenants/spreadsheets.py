"""CSV for people who open it in a spreadsheet."""


def csv_safe(value):
    """Text a citizen or an editor typed must not run as a formula when the CSV is opened (=, +, -, @ first)."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
