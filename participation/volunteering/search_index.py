"""Keeps ``VolunteerProfile.neighbourhood_ids`` equal to the profile's neighbourhoods, whatever
changes the relation (the profile form's service, the back office, tests' factories): the
search's GIN index covers that array (``models.VolunteerProfile.Meta.indexes``).

A neighbourhood deleted removes its join rows without that signal: its id is taken out of the
arrays that hold it then (``_neighbourhood_deleted``)."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Func, OuterRef, Value
from django.db.models.signals import m2m_changed, post_delete

from participation.models import Neighbourhood

from .models import VolunteerProfile

_THROUGH = VolunteerProfile.neighbourhoods.through


def neighbourhood_ids_refresh(profile_ids) -> None:
    """One UPDATE: each profile's array read again from its join rows."""
    VolunteerProfile.objects.filter(pk__in=profile_ids).update(
        neighbourhood_ids=ArraySubquery(
            _THROUGH.objects.filter(volunteerprofile_id=OuterRef("pk"))
            .order_by("neighbourhood_id")
            .values("neighbourhood_id")
        )
    )


def _relation_changed(sender, instance, action: str, **kwargs) -> None:
    # The relation has no reverse accessor (related_name="+"): ``instance`` is the profile.
    if action in ("post_add", "post_remove", "post_clear"):
        neighbourhood_ids_refresh([instance.pk])


def _neighbourhood_deleted(sender, instance, **kwargs) -> None:
    # One UPDATE of the profiles that named it, found through the GIN index.
    VolunteerProfile.objects.filter(neighbourhood_ids__contains=[instance.pk]).update(
        neighbourhood_ids=Func(F("neighbourhood_ids"), Value(instance.pk), function="array_remove")
    )


def connect_signals() -> None:
    m2m_changed.connect(_relation_changed, sender=_THROUGH, dispatch_uid="volunteering-search")
    post_delete.connect(
        _neighbourhood_deleted, sender=Neighbourhood, dispatch_uid="volunteering-search-quarter"
    )
