"""The guard every service that records a contribution calls, whatever the entry point: the
current town (connection.tenant) may be read-only."""

from django.db import connection
from django.utils.translation import gettext as _

from core.errors import NotAllowed


def ensure_contributions_open() -> None:
    tenant = getattr(connection, "tenant", None)
    is_town = tenant is not None and not getattr(tenant, "is_platform", True)
    if is_town and not tenant.accepts_contributions:
        raise NotAllowed(
            _(
                "Le site de %(town)s est en lecture seule : les contributions sont fermées "
                "pour le moment."
            )
            % {"town": tenant.name}
        )
