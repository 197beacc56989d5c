from django.db.models import Count

from participation.models import Component

from .models import Proposal
from .selectors import status_counts


def ideas_statistics(component: Component) -> dict:
    """Proposals (merged duplicates left out), their authors, and how many in each status."""
    proposals = Proposal.objects.filter(component=component, merged_into__isnull=True)
    return {
        "proposals": proposals.count(),
        "authors": proposals.filter(author__isnull=False).aggregate(
            n=Count("author", distinct=True)
        )["n"],
        **{f"status_{row.status}": row.count for row in status_counts(component)},
    }
