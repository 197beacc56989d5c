"""The budgets' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
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


class ProfileTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, reading the user's profile with the token (one query):
    every contribution checks it (``contribution_refusal``, a budget's neighbourhood)."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__profile").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


def ballot_payload(ballot: Ballot) -> dict:
    return {
        "receipt": ballot.receipt,
        "choices": [
            {"project": c.project_id, "rank": c.rank, "points": c.points}
            for c in ballot.choices.all()
        ],
    }


def budget_payload(budget: Budget, user, my_ballot: dict | None) -> dict:
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
        "my_ballot": my_ballot,
        "results_published": budget.is_published,
    }


class BudgetsComponentView(APIView):
    # As REST_FRAMEWORK's defaults (token first, for the 401 challenge), the profile read
    # with the token.
    authentication_classes = [ProfileTokenAuthentication, SessionAuthentication]
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
            ballot = services.ballot_of(request.user, budget)
            items.append(budget_payload(budget, request.user, ballot and ballot_payload(ballot)))
        return Response({"results": items})


class BallotView(BudgetsComponentView):
    @cached_property
    def budget(self) -> Budget:
        """The budget with its component, space, phases and projects (three queries)."""
        return selectors.budget_for_page(
            space_slug=self.kwargs["space_slug"],
            component_id=self.kwargs["component_id"],
            budget_id=self.kwargs["budget_id"],
            user=self.request.user,
        )

    @cached_property
    def component(self):
        return self.budget.component

    def post(self, request, space_slug: str, component_id: int, budget_id: int):
        budget = self.budget
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
        cast = services.ballot_record(
            voter=request.user, budget=budget, choices=choices, census=census
        )
        # What was just written, as ``ballot_of`` would read it back (no query).
        my_ballot = {"receipt": cast.receipt, "choices": cast.choices}
        payload = budget_payload(budget, request.user, my_ballot)
        return Response({"receipt": cast.receipt, "budget": payload}, status=201)
