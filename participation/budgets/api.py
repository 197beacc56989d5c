"""The budgets' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

import datetime
import functools

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import REFUSED, ApiTokenAuthentication
from accounts.models import ApiToken, User
from accounts.services import api_key_hash
from core.errors import Invalid
from core.rules import why_not
from participation.api import ComponentAPIMixin
from participation.models import Profile

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

    def post(self, request, space_slug: str, component_id: int, budget_id: int):
        budget = self.budget
        choices, census = ballot_from_json(request.data)
        cast = services.ballot_record(
            voter=request.user, budget=budget, choices=choices, census=census
        )
        # The ballot as the list shows it (``my_ballot``), from what was written (no query):
        # not the budget and its projects, whose size would make each vote's cost.
        return Response({"receipt": cast.receipt, "choices": cast.choices}, status=201)
