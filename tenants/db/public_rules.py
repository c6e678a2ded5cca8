"""Delete rules for public-schema rows that point at platform staff accounts.

A site's search path is "<site schema>, public": when a site's account is deleted, Django
looks for rows pointing at it in every model with a foreign key to the user model, and
finds the public schema's tables through that path when the site has none of its own (the
audit trail, the jobs and emergency roles are public only; two-factor devices are in both, like
auth). There the same id is a platform staff member: SET_NULL would blank the actor of their
audit records and of the jobs they started, CASCADE delete their emergency roles. `OnlyInPublic`
applies the rule in the public schema only.

It compares equal to the rule it wraps, so the migration autodetector sees the fields as
they are declared.
"""

from django.db import connection
from django.db.models import CASCADE, SET_NULL
from django_tenants.utils import get_public_schema_name

from ..models import AuditEvent, EmergencyRole, SiteJob


class OnlyInPublic:
    lazy_sub_objs = True  # no query at all from a site's schema

    def __init__(self, rule):
        self.rule = rule

    def __call__(self, collector, field, sub_objs, using):
        if connection.schema_name == get_public_schema_name():
            self.rule(collector, field, sub_objs, using)

    def __eq__(self, other):
        return other is self.rule or (isinstance(other, OnlyInPublic) and other.rule is self.rule)

    def __hash__(self):
        return hash(self.rule)


def keep_staff_rules_in_public():
    """Called once from tenants.apps."""
    rules = ((AuditEvent, "actor", SET_NULL), (SiteJob, "requested_by", SET_NULL), (EmergencyRole, "user", CASCADE))
    for model, name, rule in rules:
        model._meta.get_field(name).remote_field.on_delete = OnlyInPublic(rule)
