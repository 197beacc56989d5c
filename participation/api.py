"""What the modules' API views share with the HTML views: the same permission strings, and
the same lookup of the component named by the URL."""

from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.permissions import BasePermission

from core.errors import Invalid
from core.rules import why_not

from .selectors import component_for_page


class RulesPermission(BasePermission):
    """Checks ``view.permission_required`` (a django-rules permission string) against the
    object the view names with ``get_permission_object()`` (the component by default); a
    refusal answers 403 with the permission's reason (``why_not``), as the pages say it."""

    def has_permission(self, request, view) -> bool:
        perm = getattr(view, "permission_required", None)
        if perm is None:
            # A view that names no permission is a mistake: closed, like DRF's default.
            return False
        obj = view.get_permission_object() if hasattr(view, "get_permission_object") else None
        reason = why_not(request.user, perm, obj)
        if reason is not None:
            self.message = reason
        return reason is None


class ComponentAPIMixin:
    """For an API view of one component of type ``type_key``, found from the URL's space slug
    and component id (404 when not of this type or not visible to the user). The view is
    allowed when the user has ``permission_required`` on that component."""

    type_key: str
    permission_classes = [RulesPermission]
    permission_required = "participation.view_space"

    @cached_property
    def component(self):
        return component_for_page(
            space_slug=self.kwargs["space_slug"],
            component_id=self.kwargs["component_id"],
            type_key=self.type_key,
            user=self.request.user,
        )

    def get_permission_object(self):
        return self.component


class PlaceAndImageFields(serializers.Serializer):
    """An item's place and picture as the API receives them (shape only: the module's
    service validates them and names the problem)."""

    address = serializers.CharField(required=False, allow_blank=True, default="")
    latitude = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    longitude = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    image = serializers.FileField(required=False, allow_null=True, allow_empty_file=True)
    image_alt = serializers.CharField(required=False, allow_blank=True, default="")


def related(queryset, pk, message: str):
    """The row of ``queryset`` a request names by its id (None when it names none); Invalid
    with ``message`` when there is no such row there."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Invalid(message)
    return found
