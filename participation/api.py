"""What the modules' API views share with the HTML views: the same permission strings, and
the same lookup of the component named by the URL; and the token authentication of the vote
APIs, which reads the voter's profile with the token."""

import functools

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import REFUSED, ApiTokenAuthentication
from accounts.models import ApiToken, User
from accounts.services import api_key_hash
from core.errors import Invalid
from core.listing import ListEndpoint
from core.rules import why_not

from . import selectors
from .components import component_url
from .models import Profile, Space
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
        with connection.prepared_cursor() as cursor:
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


# The accounts' token scheme in the schema, described once (core.openapi.TokenScheme).
set_override(ProfileTokenAuthentication, "suppress_collision_warning", True)


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


def town_endpoints(endpoints):
    """SPECTACULAR_SETTINGS' preprocessing hook: a town's schema describes the modules the
    town has (``Tenant.enabled_modules``, none listed: all), and nothing of the others."""
    enabled = getattr(getattr(connection, "tenant", None), "enabled_modules", None)
    if not enabled:
        return endpoints
    return [
        endpoint
        for endpoint in endpoints
        if getattr(getattr(endpoint[3], "cls", None), "type_key", None) in (None, *enabled)
    ]


# --- spaces, their components and phases -------------------------------------------------


class PhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField(source="display_title")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ComponentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(source="type_key")
    title = serializers.CharField()
    description = serializers.CharField()
    url = serializers.SerializerMethodField()
    active_phase = serializers.SerializerMethodField()
    phases = PhaseSerializer(many=True, source="phases.all")

    def get_url(self, component) -> str:
        return self.context["request"].build_absolute_uri(component_url(component))

    def get_active_phase(self, component) -> str | None:
        phase = component.active_phase()
        return phase.kind if phase else None


class SpaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Space.Kind.choices)
    summary = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=Space.Status.choices)
    neighbourhood = serializers.CharField(source="neighbourhood.name", allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()
    components = ComponentSerializer(many=True, source="components.all")

    def get_url(self, space) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("participation:space", args=[space.slug])
        )


class SpaceFilters(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Space.Kind.choices, required=False)
    neighbourhood = serializers.SlugField(
        required=False, help_text="A neighbourhood's slug (identifier)."
    )


class SpaceListView(ListEndpoint, APIView):
    """The town's published spaces, each with its components and their phases."""

    permission_classes = [AllowAny]
    serializer_class = SpaceSerializer
    filters_class = SpaceFilters
    ordering_fields = {"title": "title", "published_at": "published_at", "position": "position"}

    def get(self, request):
        spaces = selectors.published_spaces()
        if kind := self.filter_value("kind"):
            spaces = spaces.filter(kind=kind)
        if neighbourhood := self.filter_value("neighbourhood"):
            spaces = spaces.filter(neighbourhood__slug=neighbourhood)
        return self.page_response(self.ordered(spaces))


class SpaceDetailView(APIView):
    """One space (a draft only for those who may see it), its components and phases."""

    permission_classes = [RulesPermission]
    permission_required = "participation.view_space"

    @cached_property
    def space(self):
        return selectors.space_for_page(slug=self.kwargs["slug"], user=self.request.user)

    def get_permission_object(self):
        return self.space

    @extend_schema(responses=SpaceSerializer)
    def get(self, request, slug: str):
        return Response(SpaceSerializer(self.space, context={"request": request}).data)


class IndexSerializer(serializers.Serializer):
    title = serializers.CharField()
    version = serializers.CharField()
    schema = serializers.URLField()
    docs = serializers.URLField()
    resources = serializers.DictField(child=serializers.URLField())


class IndexView(APIView):
    """The API's root: where the schema, its documentation and the resources are."""

    permission_classes = [AllowAny]

    @extend_schema(responses=IndexSerializer)
    def get(self, request):
        def url(name: str) -> str:
            return request.build_absolute_uri(reverse(f"api:{name}"))

        return Response(
            {
                "title": "Agora API",
                "version": "1",
                "schema": url("schema"),
                "docs": url("docs"),
                "resources": {name: url(name) for name in ("town", "spaces", "me", "token")},
            }
        )
