"""The election's API: the same rules and services as the pages. A ballot answers its
receipt only; the results answer 403 until the vote is closed."""

from __future__ import annotations

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Invalid
from participation.api import ComponentAPIMixin, ProfileTokenAuthentication

from . import selectors, services, tally

MAX_CHOICES = 100


def candidates_from_json(data) -> list[int]:
    """``{"candidates": [id, …]}``, checked for its shape only (the service judges)."""
    ids = data.get("candidates") if isinstance(data, dict) else None
    if (
        not isinstance(ids, list)
        or len(ids) > MAX_CHOICES
        or not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in ids)
    ):
        raise Invalid(_('Un bulletin est une liste de candidats : {"candidates": [id, …]}.'))
    return ids


class ElectionBallotSerializer(serializers.Serializer):
    """Documents the JSON ballot ``candidates_from_json`` reads (it checks the shape)."""

    candidates = serializers.ListField(child=serializers.IntegerField(), max_length=MAX_CHOICES)


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class CandidateResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    votes = serializers.IntegerField()
    elected = serializers.BooleanField()


class ResultsSerializer(serializers.Serializer):
    seats = serializers.IntegerField()
    candidates = CandidateResultSerializer(many=True)
    ballots = serializers.IntegerField()
    voters = serializers.IntegerField()
    electors = serializers.IntegerField()
    turnout_percent = serializers.FloatField()
    seed = serializers.CharField()
    receipts = serializers.ListField(child=serializers.CharField())


class BallotView(ComponentAPIMixin, APIView):
    """A ballot: the token with its profile in one query, the election from the cache, the
    roll line, the marker and the ballot in one statement."""

    type_key = "elections"
    authentication_classes = [ProfileTokenAuthentication, SessionAuthentication]
    own_rate_limit = True  # a POST only, counted as a vote (core.throttling)

    @cached_property
    def page(self):
        return selectors.ballot_page(
            space_slug=self.kwargs["space_slug"],
            component_id=self.kwargs["component_id"],
            user=self.request.user,
        )

    @cached_property
    def component(self):
        return self.page.election.component

    @extend_schema(request=ElectionBallotSerializer, responses={201: ReceiptSerializer})
    def post(self, request, space_slug: str, component_id: int):
        receipt = services.ballot_cast(
            voter=request.user,
            component=self.component,
            candidate_ids=candidates_from_json(request.data),
            page=self.page,
        )
        # The body ReceiptSerializer documents, without a serializer's work for one string.
        return Response({"receipt": receipt}, status=201)


class ResultsView(ComponentAPIMixin, APIView):
    type_key = "elections"
    permission_required = "elections.view_results"

    @extend_schema(responses=ResultsSerializer)
    def get(self, request, space_slug: str, component_id: int):
        receipts = services.results_open(self.component)
        outcome = tally.election_count(services.election_of(self.component))
        return Response(
            ResultsSerializer(
                {
                    "seats": len([row for row in outcome.rows if row.elected]),
                    "candidates": [
                        {
                            "id": row.candidate.pk,
                            "name": row.candidate.name,
                            "votes": row.votes,
                            "elected": row.elected,
                        }
                        for row in outcome.rows
                    ],
                    "ballots": outcome.ballots,
                    "voters": outcome.audit.voters,
                    "electors": outcome.electors,
                    "turnout_percent": outcome.turnout_percent,
                    "seed": outcome.seed,
                    "receipts": receipts,
                }
            ).data
        )
