"""A budgets component of town A with a vote phase running now, then a results phase."""

import pytest
from django.urls import reverse

from participation.budgets import services
from participation.budgets.models import Budget, Project
from participation.models import Space
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
    SpaceFactory,
)
from tests.participation.phases_support import running_phase_then

PROJECTS = [
    ("Végétaliser la place du Capitole", 200_000),
    ("Voies vélos et piétons", 150_000),
    ("Pénaliser les motards bruyants", 30_000),
    ("Planter des arbres comestibles", 3_000),
    ("Uritrottoir en plus", 62_000),
]


@pytest.fixture
def component(in_town_a):
    space = SpaceFactory(kind=Space.Kind.BUDGET_CAMPAIGN, title="Budget participatif 2026")
    return ComponentFactory(space=space, type_key="budgets", title="Votez pour vos projets")


@pytest.fixture
def vote_phase(component):
    return running_phase_then(component, kind="vote", then="results")


@pytest.fixture
def staff(in_town_a):
    return AdminFactory()


@pytest.fixture
def make_budget(component, staff):
    """A budget with PROJECTS (written directly: ``project_add`` refuses new projects once
    the vote started, and fixtures do not care about the order)."""

    def make(projects=PROJECTS, **overrides) -> Budget:
        arguments = {
            "title": "Capitole",
            "amount": 400_000,
            "ballot_rule": Budget.BallotRule.APPROVAL,
            "min_projects": 1,
            "max_projects": 3,
            **overrides,
        }
        budget = services.budget_create(actor=staff, component=component, **arguments)
        Project.objects.bulk_create(
            Project(budget=budget, title=title, cost=cost, position=position)
            for position, (title, cost) in enumerate(projects)
        )
        budget.component = component
        return budget

    return make


@pytest.fixture
def budget(make_budget, vote_phase) -> Budget:
    return make_budget()


def ids(budget: Budget) -> list[int]:
    return list(Project.objects.filter(budget=budget).values_list("pk", flat=True))


def url(budget_or_component, name: str, *args) -> str:
    component = getattr(budget_or_component, "component", budget_or_component)
    namespace, _, view = name.rpartition(":")
    extra = [] if view in ("detail", "index", "budgets") else [budget_or_component.pk]
    return reverse(
        f"{namespace or 'budgets'}:{view}",
        args=[component.space.slug, component.pk, *extra, *args],
    )


RANKED = {"ballot_rule": "ranked", "min_projects": 1, "max_projects": 3}


CUMULATIVE = {
    "ballot_rule": "cumulative",
    "min_projects": 1,
    "max_projects": None,
    "max_points_per_project": 3,
    "max_points": 7,
}


def cast(budget, choices, voter=None, **kwargs) -> str:
    return services.ballot_cast(
        voter=voter or ParticipantFactory(), budget=budget, choices=choices, **kwargs
    )
