"""Read-only queries on the town's officials and municipal services."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from participation.models import MunicipalService, Official


def published_officials() -> QuerySet[Official]:
    """The officials the public page lists, in the town's order, with their photo,
    neighbourhood and the services that answer for them: three queries whatever their
    number."""
    return (
        Official.objects.filter(published=True)
        .select_related("photo", "neighbourhood")
        .prefetch_related(Prefetch("services", queryset=MunicipalService.objects.order_by()))
    )


def all_officials() -> QuerySet[Official]:
    return Official.objects.select_related("photo", "neighbourhood", "account").prefetch_related(
        "services"
    )


def municipal_services() -> QuerySet[MunicipalService]:
    return MunicipalService.objects.prefetch_related("members")


def town_accounts() -> QuerySet[User]:
    """The accounts of this town an official's account or a service's members are chosen
    among: active ones, the vendor's staff left out."""
    return (
        User.objects.filter(is_active=True)
        .exclude(role=User.Role.VENDOR_STAFF)
        .order_by("display_name", "email")
    )
