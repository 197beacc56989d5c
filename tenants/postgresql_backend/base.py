"""django-tenants' backend, without clearing the content-type cache at every schema switch.

django-tenants clears it because content types may differ between the public schema and the
towns'. Here ``django.contrib.contenttypes`` lives in the public schema only (SHARED_APPS), so a
content type has the same id from every town, and clearing cost a query on every page that
shows comments or supports (benchmarks/pages.py).
"""

from django_tenants.postgresql_backend.base import EXTRA_SET_TENANT_METHOD
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if EXTRA_SET_TENANT_METHOD:
            EXTRA_SET_TENANT_METHOD(self, tenant)
        self.search_path_set_schemas = None
