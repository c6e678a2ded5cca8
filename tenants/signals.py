"""The life of a site, told to the apps above the registry: tenants sends these and imports none of them.

Each is sent by an action of tenants.actions inside the action's transaction, so a receiver
that writes is all-or-nothing with the action, and the action fails if a receiver does.
Receivers must be idempotent (a repeated step does not double anything). Where a signal
is sent in a site's schema it says so; otherwise the connection is in public.
"""

from django.dispatch import Signal

# A site's status was saved (suspend, resume, archive, unarchive). site=GovSite, previous=the old status.
site_status_changed = Signal()

# How the hosts of a site answer changes at commit (status, domains, fold, restore, delete).
# site=GovSite, hosts=[host names, removed ones included], settled_after=seconds until every
# worker routes by the new registry rows (tenants.routing).
site_routing_changed = Signal()

# In a schema that is to become a site (the template when it is refreshed, a site being brought
# up to the standard by `update_site_standard`, a benchmark's schema made by migrating), after
# the standard groups exist (tenants.provisioning.site_groups): each app adds what the standard
# asks of it (columns: the column skeleton; apps: their permissions for the standard groups).
# Returns through the send: a receiver may answer with the names of what it added.
apply_site_standard = Signal()

# In the new site's schema, while it is provisioned: the template's placeholders become this
# site (columns: page titles with the site's name, the organiser in 站点设置). site=GovSite.
site_provisioned = Signal()

# A township is folding into its county (actions.folding). Receivers copy what they own from
# the township's schema into the county's (each switching schemas itself, explicitly) and record
# it in `fold` (tenants.actions.folding.Fold: old → new addresses and ids, counts, files written).
# township=GovSite, county=GovSite, fold=Fold.
site_folding = Signal()

# After every receiver of site_folding has copied: the apps that follow content (search, the
# library) catch up with it. township=GovSite, county=GovSite, fold=Fold.
site_folded = Signal()

# In the site's schema, right after a restore replaced its whole content with a backup's: what
# other apps derived from that content (search index, library rows, published reports,
# distributions and deliveries) is rebuilt from what the schema now holds. site=GovSite.
site_content_replaced = Signal()
