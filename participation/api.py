"""What the modules' API views share with the HTML views: the same permission strings, and
the same lookup of the component named by the URL."""

from django.db import connection
from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Invalid
from core.listing import ListEndpoint
from core.rules import why_not

from . import selectors
from .components import component_url
from .models import Space
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
