"""The budgets' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api import RulesPermission
from participation.selectors import component_for_page

from . import selectors, services
from .models import Ballot, Budget


class ChoiceSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    rank = serializers.IntegerField(required=False, allow_null=True)
    points = serializers.IntegerField(required=False, allow_null=True)


class BallotSerializer(serializers.Serializer):
    choices = serializers.ListField(child=ChoiceSerializer(), allow_empty=True, max_length=500)
    last_name = serializers.CharField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)


def budget_payload(budget: Budget, user, ballot: Ballot | None) -> dict:
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
        "can_vote": user.has_perm("budgets.vote_budget", budget),
        "my_ballot": (
            {
                "receipt": ballot.receipt,
                "choices": [
                    {"project": c.project_id, "rank": c.rank, "points": c.points}
                    for c in ballot.choices.all()
                ],
            }
            if ballot
            else None
        ),
        "results_published": budget.is_published,
    }


class BudgetsComponentView(APIView):
    permission_classes = [RulesPermission]
    permission_required = "participation.view_space"

    @cached_property
    def component(self):
        return component_for_page(
            space_slug=self.kwargs["space_slug"],
            component_id=self.kwargs["component_id"],
            type_key="budgets",
            user=self.request.user,
        )

    def get_permission_object(self):
        return self.component


class BudgetListView(BudgetsComponentView):
    def get(self, request, space_slug: str, component_id: int):
        items = []
        for budget in selectors.budgets(self.component):
            budget.component = self.component
            items.append(
                budget_payload(budget, request.user, services.ballot_of(request.user, budget))
            )
        return Response({"results": items})


class BallotView(BudgetsComponentView):
    def post(self, request, space_slug: str, component_id: int, budget_id: int):
        budget = selectors.budget_in(self.component, budget_id)
        serializer = BallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        choices = [
            (c["project"], c.get("rank") if c.get("rank") is not None else c.get("points"))
            for c in data["choices"]
        ]
        census = None
        if data.get("last_name") or data.get("first_name") or data.get("birth_date"):
            census = services.CensusIdentity(
                data.get("last_name", ""), data.get("first_name", ""), data.get("birth_date")
            )
            if census.birth_date is None:
                census = None
        receipt = services.ballot_cast(
            voter=request.user, budget=budget, choices=choices, census=census
        )
        ballot = services.ballot_of(request.user, budget)
        payload = budget_payload(budget, request.user, ballot)
        return Response({"receipt": receipt, "budget": payload}, status=201)
