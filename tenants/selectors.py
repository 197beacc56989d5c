from django.db.models import Prefetch, QuerySet

from .models import Domain, Tenant


def towns() -> QuerySet[Tenant]:
    return Tenant.objects.exclude(kind=Tenant.Kind.PLATFORM)


def towns_overview() -> QuerySet[Tenant]:
    return towns().prefetch_related(
        Prefetch("domains", queryset=Domain.objects.order_by("-is_primary", "domain"))
    )


def served_towns() -> QuerySet[Tenant]:
    return towns().filter(status__in=Tenant.SERVED_STATUSES)
