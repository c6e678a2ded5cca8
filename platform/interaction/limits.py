"""Per-address rate limits of the citizen forms (counted by django-ratelimit in the shared cache)."""

from django_ratelimit.core import is_ratelimited


def limited(request, group, rate):
    """Count this POST against `group` for the client's address; True once `rate` is exceeded."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)
