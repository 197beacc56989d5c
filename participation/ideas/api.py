"""The ideas' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.listing import ListEndpoint
from participation.api import ComponentAPIMixin, PlaceAndImageFields, related
from participation.images import image_url
from participation.models import Neighbourhood
from participation.submissions import clean_key, submit_once

from . import selectors, services
from .models import Category, Proposal


class ProposalSerializer(PlaceAndImageFields):
    """Shape only: the service validates and its messages name the problem."""

    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    category = serializers.IntegerField(required=False, allow_null=True)
    neighbourhood = serializers.IntegerField(required=False, allow_null=True)
    estimated_cost = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class ImageSerializer(serializers.Serializer):
    alt = serializers.CharField()
    renditions = serializers.DictField(
        child=serializers.CharField(), help_text="The picture's path by width in pixels."
    )


class ProposalOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=Proposal.Status.choices)
    status_label = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    neighbourhood = serializers.CharField(allow_null=True)
    address = serializers.CharField()
    latitude = serializers.CharField(allow_null=True)
    longitude = serializers.CharField(allow_null=True)
    estimated_cost = serializers.CharField(allow_null=True)
    image = ImageSerializer(allow_null=True)
    supports = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class StatusCountsSerializer(serializers.Serializer):
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Proposals by status, all of the component."
    )


class ProposalFilters(serializers.Serializer):
    category = serializers.IntegerField(required=False, min_value=1, help_text="A category's id.")
    neighbourhood = serializers.IntegerField(
        required=False, min_value=1, help_text="A neighbourhood's id."
    )
    status = serializers.ChoiceField(choices=Proposal.Status.choices, required=False)


def _number(value) -> str | None:
    return None if value is None else str(value)


def _image_payload(image) -> dict | None:
    if image is None:
        return None
    return {
        "alt": image.alt,
        "renditions": {str(width): image_url(image, width) for width in image.widths},
    }


def proposal_payload(proposal: Proposal, url: str) -> dict:
    return {
        "id": proposal.pk,
        "url": url,
        "title": proposal.title,
        "description": proposal.description,
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "category": proposal.category.name if proposal.category else None,
        "neighbourhood": proposal.neighbourhood.name if proposal.neighbourhood else None,
        "address": proposal.address,
        "latitude": _number(proposal.latitude),
        "longitude": _number(proposal.longitude),
        "estimated_cost": _number(proposal.estimated_cost),
        "image": _image_payload(proposal.image),
        "supports": getattr(proposal, "support_count", 0),
        "created_at": proposal.created_at.isoformat(),
    }


class IdeasComponentView(ComponentAPIMixin, APIView):
    type_key = "ideas"


class ProposalListView(ListEndpoint, IdeasComponentView):
    serializer_class = ProposalOutSerializer
    filters_class = ProposalFilters
    list_extra = StatusCountsSerializer
    ordering_fields = {"created_at": "created_at", "supports": "support_count", "title": "title"}

    def get(self, request, space_slug: str, component_id: int):
        component = self.component
        proposals = selectors.with_support_counts(
            selectors.filtered(selectors.proposals(component), self.list_query)
        )
        counts = {row.status: row.count for row in selectors.status_counts(component)}
        return self.page_response(
            self.ordered(proposals),
            extra={"counts": counts},
            shape=lambda proposal: _payload(_bound(proposal, component)),
        )

    @extend_schema(request=ProposalSerializer, responses={201: ProposalOutSerializer})
    def post(self, request, space_slug: str, component_id: int):
        component = self.component
        serializer = ProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["category"] = related(
            Category.objects.filter(component=component),
            data.get("category"),
            _("Cette catégorie n'appartient pas à cet appel à idées."),
        )
        data["neighbourhood"] = related(
            Neighbourhood.objects.all(), data.get("neighbourhood"), _("Ce quartier n'existe pas.")
        )
        # Idempotency-Key: a client retrying after a timeout gets the first one's proposal.
        proposal, _first = submit_once(
            user=request.user,
            key=clean_key(request.headers.get("Idempotency-Key")),
            create=lambda: services.proposal_submit(
                author=request.user, component=component, **data
            ),
        )
        proposal = selectors.with_support_counts(
            selectors.proposals(component).filter(pk=proposal.pk)
        ).get()
        payload = _payload(_bound(proposal, component))
        return Response(ProposalOutSerializer(payload).data, status=201)


def _payload(proposal: Proposal) -> dict:
    return proposal_payload(proposal, proposal.get_absolute_url())


def _bound(proposal: Proposal, component) -> Proposal:
    proposal.component = component
    return proposal
