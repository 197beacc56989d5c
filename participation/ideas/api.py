"""The ideas' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api import ComponentAPIMixin, PlaceAndImageFields, related
from participation.images import image_url
from participation.models import Neighbourhood
from participation.submissions import clean_key, submit_once

from . import selectors, services
from .forms import ListFilterForm
from .models import Category, Proposal


class ProposalSerializer(PlaceAndImageFields):
    """Shape only: the service validates and its messages name the problem."""

    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    category = serializers.IntegerField(required=False, allow_null=True)
    neighbourhood = serializers.IntegerField(required=False, allow_null=True)
    estimated_cost = serializers.CharField(required=False, allow_null=True, allow_blank=True)


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


class ProposalListView(IdeasComponentView):
    def get(self, request, space_slug: str, component_id: int):
        component = self.component
        form = ListFilterForm(request.query_params or None, component=component)
        filters = form.filters() if request.query_params else {}
        proposals = selectors.with_support_counts(
            selectors.filtered(selectors.proposals(component), filters)
        )
        return Response(
            {
                "counts": {row.status: row.count for row in selectors.status_counts(component)},
                "results": [
                    proposal_payload(proposal, proposal.get_absolute_url())
                    for proposal in _bound(proposals, component)
                ],
            }
        )

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
        proposal.component = component
        return Response(proposal_payload(proposal, proposal.get_absolute_url()), status=201)


def _bound(proposals, component):
    for proposal in proposals:
        proposal.component = component
        yield proposal
