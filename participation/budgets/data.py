"""What the dashboard counts and what the GDPR export tells a resident."""

from django.db.models import F, QuerySet

from .models import Ballot


def budgets_contributions() -> QuerySet:
    """One row per ballot (online, paper or imported: the author is the voter, if any)."""
    return Ballot.objects.order_by().values(
        "created_at", component_id=F("budget__component_id"), author_id=F("voter_id")
    )


def budgets_personal_data(user) -> list[dict]:
    ballots = (
        Ballot.objects.filter(voter=user)
        .select_related("budget")
        .prefetch_related("choices__project")
        .order_by("created_at", "pk")
    )
    return [
        {
            "component_id": ballot.budget.component_id,
            "budget_id": ballot.budget_id,
            "budget": ballot.budget.title,
            "receipt": ballot.receipt,
            "choices": [
                {"project": c.project.title, "rank": c.rank, "points": c.points}
                for c in ballot.choices.all()
            ],
            "voted_at": ballot.created_at.isoformat(),
            "updated_at": ballot.updated_at.isoformat(),
        }
        for ballot in ballots
    ]
