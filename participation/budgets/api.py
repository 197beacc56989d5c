"""The budgets' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

import datetime

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Invalid
from core.listing import ListEndpoint
from core.rules import why_not
from participation.api import ComponentAPIMixin, ProfileTokenAuthentication

from . import selectors, services
from .census import CensusIdentity
from .models import Ballot, Budget

MAX_CHOICES = 500


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def ballot_from_json(data) -> tuple[list[tuple[int, int | None]], CensusIdentity | None]:
    """The choices and the census identity of a JSON ballot: ``{"choices": [{"project": id,
    "rank": n} or {"project": id, "points": n}, …], "last_name": "…", "first_name": "…",
    "birth_date": "YYYY-MM-DD"}``. Only its shape is checked here (a nested DRF serializer
    took twice as long as the service's checks); the service checks the choices against the
    budget and the identity against the census, for this API and the HTML form alike."""
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or len(choices) > MAX_CHOICES:
        raise Invalid(_('Un bulletin est une liste de choix : {"choices": [{"project": …}, …]}.'))
    pairs = []
    for choice in choices:
        fields = choice if isinstance(choice, dict) else {}
        project, rank, points = (fields.get(name) for name in ("project", "rank", "points"))
        if not _is_int(project) or not all(v is None or _is_int(v) for v in (rank, points)):
            raise Invalid(_("Ce bulletin contient une valeur illisible."))
        pairs.append((project, rank if rank is not None else points))
    birth = data.get("birth_date")
    if not birth:
        return pairs, None
    try:
        birth_date = datetime.date.fromisoformat(birth)
    except (TypeError, ValueError) as exc:
        raise Invalid(
            _("Date de naissance illisible : attendu AAAA-MM-JJ (« %(value)s »).")
            % {"value": birth}
        ) from exc
    names = (data.get("last_name"), data.get("first_name"))
    if not all(isinstance(name, str) for name in names):
        raise Invalid(_("Indiquez vos nom et prénom tels qu'inscrits."))
    return pairs, CensusIdentity(*names, birth_date)


class ChoiceSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    rank = serializers.IntegerField(required=False, allow_null=True)
    points = serializers.IntegerField(required=False, allow_null=True)


class BudgetBallotSerializer(serializers.Serializer):
    """Documents the JSON ballot ``ballot_from_json`` reads (it checks the shape itself)."""

    choices = ChoiceSerializer(many=True, max_length=MAX_CHOICES)
    last_name = serializers.CharField(required=False, help_text="Census check only.")
    first_name = serializers.CharField(required=False, help_text="Census check only.")
    birth_date = serializers.DateField(required=False, help_text="Census check only.")


class MyBallotSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    choices = ChoiceSerializer(many=True)


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    cost = serializers.IntegerField()


class BudgetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    amount = serializers.IntegerField()
    neighbourhood = serializers.CharField(allow_null=True)
    ballot_rule = serializers.CharField()
    min_projects = serializers.IntegerField(allow_null=True)
    max_projects = serializers.IntegerField(allow_null=True)
    min_spend_percent = serializers.IntegerField(allow_null=True)
    max_points_per_project = serializers.IntegerField(allow_null=True)
    max_points = serializers.IntegerField(allow_null=True)
    result_rule = serializers.CharField()
    census_required = serializers.BooleanField()
    projects = ProjectSerializer(many=True)
    can_vote = serializers.BooleanField()
    vote_refusal = serializers.CharField(allow_null=True)
    my_ballot = MyBallotSerializer(allow_null=True)
    results_published = serializers.BooleanField()


class BallotCastSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    budget = BudgetSerializer()


def ballot_payload(ballot: Ballot) -> dict:
    return {
        "receipt": ballot.receipt,
        "choices": [
            {"project": c.project_id, "rank": c.rank, "points": c.points}
            for c in ballot.choices.all()
        ],
    }


def budget_payload(budget: Budget, user, my_ballot: dict | None) -> dict:
    # The same question as the ballot page and ballot_record: may vote, else why not.
    refusal = why_not(user, "budgets.vote_budget", budget)
    return {
        "id": budget.pk,
        "title": budget.title,
        "amount": budget.amount,
        "neighbourhood": budget.neighbourhood.name if budget.neighbourhood else None,
        "ballot_rule": budget.ballot_rule,
        "min_projects": budget.min_projects,
        "max_projects": budget.max_projects,
        "min_spend_percent": budget.min_spend_percent,
        "max_points_per_project": budget.max_points_per_project,
        "max_points": budget.max_points,
        "result_rule": budget.result_rule,
        "census_required": budget.census_required,
        "projects": [
            {"id": p.pk, "title": p.title, "description": p.description, "cost": p.cost}
            for p in budget.projects.all()
        ],
        "can_vote": refusal is None,
        "vote_refusal": refusal,
        "my_ballot": my_ballot,
        "results_published": budget.is_published,
    }


class BudgetsComponentView(ComponentAPIMixin, APIView):
    type_key = "budgets"
    # As REST_FRAMEWORK's defaults (token first, for the 401 challenge), the profile read
    # with the token.
    authentication_classes = [ProfileTokenAuthentication, SessionAuthentication]


class BudgetListView(ListEndpoint, BudgetsComponentView):
    serializer_class = BudgetSerializer

    def get(self, request, space_slug: str, component_id: int):
        def shape(budget):
            budget.component = self.component
            ballot = services.ballot_of(request.user, budget)
            return budget_payload(budget, request.user, ballot and ballot_payload(ballot))

        return self.page_response(selectors.budgets(self.component), shape=shape)


class BallotView(BudgetsComponentView):
    own_rate_limit = True  # a POST only, counted as a vote (core.throttling)

    @cached_property
    def budget(self) -> Budget:
        """The budget with its component, space and phases (from the cache, or two
        queries): not its projects, which the ballot's INSERT checks."""
        return selectors.budget_for_page(
            space_slug=self.kwargs["space_slug"],
            component_id=self.kwargs["component_id"],
            budget_id=self.kwargs["budget_id"],
            user=self.request.user,
        )

    @cached_property
    def component(self):
        return self.budget.component

    @extend_schema(request=BudgetBallotSerializer, responses={201: BallotCastSerializer})
    def post(self, request, space_slug: str, component_id: int, budget_id: int):
        """Cast the caller's ballot. The answer is built by hand (the vote's hot path):
        BallotCastSerializer documents it."""
        budget = self.budget
        choices, census = ballot_from_json(request.data)
        cast = services.ballot_record(
            voter=request.user, budget=budget, choices=choices, census=census
        )
        # The ballot as the list shows it (``my_ballot``), from what was written (no query):
        # not the budget and its projects, whose size would make each vote's cost.
        return Response({"receipt": cast.receipt, "choices": cast.choices}, status=201)
