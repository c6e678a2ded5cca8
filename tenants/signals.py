"""Signals the registry sends, for apps that follow a site's life without tenants importing them."""

from django.dispatch import Signal

# Sent inside the action's transaction (tenants.actions), after the status is saved:
# site=GovSite, previous=the old status. Receivers that write do so in the same transaction.
site_status_changed = Signal()
