"""What the modules' API views share with the HTML views: the same permission strings, and
the same lookup of the component named by the URL; and the token authentication of the vote
APIs, which reads the voter's profile with the token."""

import functools

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission

from accounts.authentication import REFUSED, ApiTokenAuthentication
from accounts.models import ApiToken, User
from accounts.services import api_key_hash
from core.errors import Invalid
from core.rules import why_not

from .models import Profile
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


@functools.cache
def _token_query() -> tuple[str, tuple[tuple[type[Model], list[str]], ...]]:
    """One SELECT of a token, its user and the user's profile (NULLs if none), and each
    model's share of the row (names from the models' metadata only: the key is a parameter).
    The ORM compiled the same query anew for every request, at twice the cost of running it."""
    parts = tuple(
        (model, [field.attname for field in model._meta.concrete_fields])
        for model in (ApiToken, User, Profile)
    )
    fields = [field for model, _names in parts for field in model._meta.concrete_fields]
    # The row's values go to Model.from_db as PostgreSQL gives them: no field may need a
    # conversion (as a JSONField would).
    if any(hasattr(field, "from_db_value") for field in fields):
        raise ImproperlyConfigured("ProfileTokenAuthentication reads values as they come.")
    quote = connection.ops.quote_name
    token, user, profile = (quote(model._meta.db_table) for model in (ApiToken, User, Profile))
    columns = ", ".join(f"{quote(f.model._meta.db_table)}.{quote(f.column)}" for f in fields)
    sql = (
        f"SELECT {columns} FROM {token} "  # noqa: S608
        f"JOIN {user} ON {user}.{quote(User._meta.pk.column)} = "
        f"{token}.{quote(ApiToken._meta.get_field('user').column)} "
        f"LEFT JOIN {profile} ON {profile}.{quote(Profile._meta.get_field('user').column)} = "
        f"{user}.{quote(User._meta.pk.column)} "
        f"WHERE {token}.{quote(ApiToken._meta.get_field('key_hash').column)} = %s "
        f"AND {token}.{quote(ApiToken._meta.get_field('expires_at').column)} > %s"
    )
    return sql, parts


class ProfileTokenAuthentication(ApiTokenAuthentication):
    """The accounts' token authentication (the key's hash, unexpired), reading the user's
    profile with the token (one query): every contribution checks it
    (``contribution_refusal``, a budget's neighbourhood)."""

    def authenticate_credentials(self, key):
        sql, parts = _token_query()
        with connection.cursor() as cursor:
            cursor.execute(sql, [api_key_hash(key), timezone.now()])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(REFUSED)
        instances, start = [], 0
        for model, names in parts:
            values = row[start : start + len(names)]
            start += len(names)
            instances.append(model.from_db(connection.alias, names, values))
        token, user, profile = instances
        token.user = user
        if profile.pk is not None:  # else ``user.profile`` reads (and misses) it
            user.profile = profile
        if not user.is_active:
            raise exceptions.AuthenticationFailed(REFUSED)
        return (user, token)


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
