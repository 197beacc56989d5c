"""What the pb_* commands share: running in one town's schema."""

from contextlib import contextmanager

from django.core.management.base import CommandError
from django_tenants.utils import tenant_context

from tenants.models import Tenant


@contextmanager
def in_town(slug: str):
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None or tenant.is_platform:
        raise CommandError(f"Collectivité inconnue : « {slug} ».")
    with tenant_context(tenant):
        yield tenant
