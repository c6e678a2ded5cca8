"""django-tenants' PostgreSQL backend with cheaper tenant switches.

Two costs of django-tenants' switch are avoided, each proven by a test:

- `SET search_path` is issued only when the path the connection really has differs
  from the one the next query needs. A request starts by selecting the public
  schema for the host look-up and then the site; when the look-up is cached, no
  query ran in public, so a worker serving the same site again needs no SET at all.
- Django's ContentType cache is cleared only when a switch crosses between the
  public schema and a site, not on every switch. Every site schema is cloned from
  one template (or migrated the same way), so ContentType ids are identical across
  all site schemas (tests/tenants/test_provisioning.py); only public's ids differ.
  The cache is cleared at the switch itself, not at the next query, because a
  cache hit runs no query at all.

The routing middleware therefore leaves a worker's connection on the site it last
served and touches the public schema only when it must look a host up.
"""

from django.contrib.contenttypes.models import ContentType
from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import get_public_schema_name


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        # The search path the server really has (None: unknown, SET needed), and whether
        # the ContentType cache belongs to the public schema or to the sites.
        self._server_search_path = None
        self._content_types_public = None
        super().__init__(*args, **kwargs)

    def set_tenant(self, tenant, include_public=True):
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if tenants_base.EXTRA_SET_TENANT_METHOD:
            tenants_base.EXTRA_SET_TENANT_METHOD(self, tenant)
        wanted = self._get_cursor_search_paths()
        self.search_path_set_schemas = wanted if wanted == self._server_search_path else None
        public = tenant.schema_name == get_public_schema_name()
        if self._content_types_public is not public:
            ContentType.objects.clear_cache()
            self._content_types_public = public

    def _handle_search_path(self, cursor=None):
        needed = self.search_path_set_schemas is None
        super()._handle_search_path(cursor)
        if needed and self.search_path_set_schemas is not None:
            self._server_search_path = self.search_path_set_schemas

    def forget_search_path(self):
        """The server's search path is unknown (a raw SET ran): the next query sets it again."""
        self._server_search_path = None
        self.search_path_set_schemas = None

    def close(self):
        self.forget_search_path()
        super().close()

    def rollback(self):
        # A rolled-back transaction also rolls back a SET made inside it.
        self.forget_search_path()
        super().rollback()

    def savepoint_rollback(self, sid):
        self.forget_search_path()
        super().savepoint_rollback(sid)
