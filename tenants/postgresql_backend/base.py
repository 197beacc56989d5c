"""django-tenants' backend, without clearing the content-type cache at every schema switch, and
safe behind a transaction-pooling proxy (pgbouncer ``pool_mode = transaction``).

django-tenants clears it because content types may differ between the public schema and the
towns'. Here ``django.contrib.contenttypes`` lives in the public schema only (SHARED_APPS), so a
content type has the same id from every town, and clearing cost a query on every page that
shows comments or supports (benchmarks/pages.py).

django-tenants sets the town's schema with a session-level ``SET search_path``, once per
connection and schema switch (TENANT_LIMIT_SET_CALLS). Behind pgbouncer in transaction mode,
the server connection changes at every transaction: a session ``SET`` stays on the server
connection it ran on, and is then seen by whichever client gets that connection next (town B's
request reading town A's tables). With ``TRANSACTION_POOLING`` on (DATABASE_TRANSACTION_POOLING
in the environment, config/settings/env.py), the schema is set with ``SET LOCAL`` inside every
transaction instead, so it ends with the transaction that set it:

- inside a transaction (``atomic()``), once per transaction and schema, before its first
  statement;
- outside one (autocommit), each statement runs in a transaction of its own that starts with
  the ``SET LOCAL``.

A PostgreSQL backend keeps the catalogue entries of every table it has touched: 0.12–0.17 MB
per town schema (docs/benchmarks.md, "10,000 towns"), so a connection kept open while it
serves thousands of towns grows to gigabytes. After MAX_TOWNS_PER_CONNECTION different towns
(DATABASE_MAX_TOWNS_PER_CONNECTION), the connection is closed at the end of the request or
task (as CONN_MAX_AGE would) and the next one starts small.

``prepared_cursor()`` is for the few hand-written reads on the hottest paths (a token, a
volunteer search): its statements are bound server-side, and psycopg has PostgreSQL keep them
prepared on the connection after ``prepare_threshold`` runs (OPTIONS), so they are no longer
planned at every request (planning cost PostgreSQL as much as running them). PostgreSQL parses
a prepared statement again when the ``search_path`` changes: the same statement serves every
town correctly. Behind a transaction-pooling proxy nothing is prepared (``prepare_threshold``
is None there) and the cursor is the ordinary one.
"""

import time

from django.db.backends.postgresql.base import Cursor, ServerBindingCursor
from django_tenants.postgresql_backend.base import EXTRA_SET_TENANT_METHOD
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.utils import get_public_schema_name, quote_schema_name
from psycopg.pq import TransactionStatus


class PooledCursor(Cursor):
    """A cursor that sets its connection's schema in every transaction it runs a statement in.

    ``database`` is the Django connection whose schema applies (None for the cursors Django
    opens on the raw connection to set it up: time zone, role; they need no schema)."""

    database = None

    def execute(self, query, params=None, **kwargs):
        return self._in_town_transaction(super().execute, query, params, **kwargs)

    def executemany(self, query, params_seq, **kwargs):
        return self._in_town_transaction(super().executemany, query, params_seq, **kwargs)

    def _in_town_transaction(self, run, *args, **kwargs):
        database = self.database
        if database is None:
            return run(*args, **kwargs)
        status = self.connection.info.transaction_status
        if self.connection.autocommit and status == TransactionStatus.IDLE:
            with self.connection.transaction():
                super().execute(database.search_path_statement())
                return run(*args, **kwargs)
        if status != TransactionStatus.INERROR:
            statement = database.search_path_statement()
            if database.search_path_set_schemas != statement:
                super().execute(statement)
                database.search_path_set_schemas = statement
        return run(*args, **kwargs)


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, settings_dict, *args, **kwargs):
        # Before django-tenants' __init__, which sets the public schema.
        self.max_towns = int(settings_dict.get("MAX_TOWNS_PER_CONNECTION") or 0)
        self.towns_served: set[str] = set()
        super().__init__(settings_dict, *args, **kwargs)
        self.transaction_pooling = bool(self.settings_dict.get("TRANSACTION_POOLING"))
        self.binding_server_side = False

    def set_tenant(self, tenant, include_public=True):
        if self.max_towns and tenant.schema_name != get_public_schema_name():
            self.towns_served.add(tenant.schema_name)
            if len(self.towns_served) > self.max_towns:
                self.close_at = time.monotonic()  # closed when the request or task ends
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if EXTRA_SET_TENANT_METHOD:
            EXTRA_SET_TENANT_METHOD(self, tenant)
        self.search_path_set_schemas = None

    def close(self):
        self.towns_served = set()
        super().close()

    # --- transaction pooling -------------------------------------------------------------

    def get_connection_params(self):
        params = super().get_connection_params()
        if self.transaction_pooling:
            params["cursor_factory"] = PooledCursor
        return params

    def prepared_cursor(self):
        """A cursor whose statements PostgreSQL keeps prepared on this connection (above)."""
        self.binding_server_side = not self.transaction_pooling
        try:
            return self.cursor()
        finally:
            self.binding_server_side = False

    def create_cursor(self, name=None):
        if self.binding_server_side and name is None:
            # Django's own cursors differ only by binding client-side; the time zone comes
            # with the connection's adapters (get_adapters_template), as theirs does.
            return ServerBindingCursor(self.connection)
        cursor = super().create_cursor(name)
        if self.transaction_pooling:
            cursor.database = self
        return cursor

    def search_path_statement(self) -> str:
        schemas = ", ".join(quote_schema_name(s) for s in self._get_cursor_search_paths())
        return f"SET LOCAL search_path = {schemas}"

    def _handle_search_path(self, cursor=None):
        if not self.transaction_pooling:
            super()._handle_search_path(cursor)
        # (Pooled: the cursor sets it in each transaction, PooledCursor.)

    def _commit(self):
        if self.transaction_pooling:  # the SET LOCAL ends with the transaction
            self.search_path_set_schemas = None
        return super()._commit()

    def _rollback(self):
        if self.transaction_pooling:
            self.search_path_set_schemas = None
        return super()._rollback()
