from participation.models import Component

from . import page_cache
from .models import Budget, Project

DEMO_PROJECTS = [
    ("Des arbres fruitiers dans les cours d'école", 45_000),
    ("Une piste cyclable vers la gare", 180_000),
    ("Des bancs et des fontaines à eau au parc", 25_000),
    ("Une boîte à livres par quartier", 8_000),
    ("Un terrain multisport rénové", 120_000),
]


def budgets_seed(component: Component) -> None:
    """An invented town-wide budget with its projects (no ballots: they need residents)."""
    budget = Budget.objects.create(
        component=component,
        title="Budget participatif de la ville",
        amount=300_000,
        ballot_rule=Budget.BallotRule.APPROVAL,
        min_projects=1,
        max_projects=3,
    )
    Project.objects.bulk_create(
        Project(budget=budget, title=title, cost=cost, position=position)
        for position, (title, cost) in enumerate(DEMO_PROJECTS)
    )
    page_cache.forget_budgets()  # bulk_create sends no signal
