from django.db.models import Count

from participation.models import Component

from .models import Ballot, Budget, Project


def budgets_statistics(component: Component) -> dict:
    ballots = Ballot.objects.filter(budget__component=component)
    return {
        "budgets": Budget.objects.filter(component=component).count(),
        "projects": Project.objects.filter(budget__component=component).count(),
        "ballots": ballots.count(),
        "voters": ballots.filter(voter__isnull=False).aggregate(n=Count("voter", distinct=True))[
            "n"
        ],
    }
