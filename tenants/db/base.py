"""django-tenants' PostgreSQL backend with cheaper tenant switches.

django-tenants clears Django's ContentType cache on every switch because the
public schema's ids differ from the sites'. Every site schema is cloned from one
template (or migrated the same way), so ContentType ids are identical across all
site schemas (tests/tenants/test_provisioning.py proves it). The cache therefore
only needs clearing when a switch crosses between the public schema and a site,
which saves a ContentType query after each switch between sites.

Switching to the schema already selected keeps the connection's search_path, so a
worker serving the same site again issues no `SET search_path`.
"""

from django.contrib.contenttypes.models import ContentType
from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import get_public_schema_name


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        previous_schema = self.schema_name
        previous_include_public = self.include_public_schema
        same_path = (
            previous_schema == tenant.schema_name
            and previous_include_public == include_public
            and self.search_path_set_schemas is not None
        )
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if tenants_base.EXTRA_SET_TENANT_METHOD:
            tenants_base.EXTRA_SET_TENANT_METHOD(self, tenant)
        if not same_path:
            self.search_path_set_schemas = None
        public = get_public_schema_name()
        if previous_schema is None or (previous_schema == public) != (tenant.schema_name == public):
            ContentType.objects.clear_cache()
