"""What the dashboard counts and what the GDPR export tells a resident."""

from django.db.models import Q, QuerySet

from participation.images import image_url

from .models import Proposal


def ideas_contributions() -> QuerySet:
    """One row per proposal submitted."""
    return Proposal.objects.order_by().values("component_id", "author_id", "created_at")


def ideas_personal_data(user) -> list[dict]:
    proposals = (
        Proposal.objects.filter(Q(author=user) | Q(co_authors=user))
        .distinct()
        .select_related("category", "neighbourhood", "image")
        .order_by("created_at", "pk")
    )
    return [
        {
            "component_id": proposal.component_id,
            "proposal_id": proposal.pk,
            "role": "author" if proposal.author_id == user.pk else "co_author",
            "title": proposal.title,
            "description": proposal.description,
            "category": proposal.category.name if proposal.category else None,
            "neighbourhood": proposal.neighbourhood.name if proposal.neighbourhood else None,
            "address": proposal.address,
            "latitude": str(proposal.latitude) if proposal.latitude is not None else None,
            "longitude": str(proposal.longitude) if proposal.longitude is not None else None,
            "estimated_cost": (
                str(proposal.estimated_cost) if proposal.estimated_cost is not None else None
            ),
            "image": (
                image_url(proposal.image, proposal.image.widths[-1]) if proposal.image else None
            ),
            "status": proposal.status,
            "merged_into_id": proposal.merged_into_id,
            "created_at": proposal.created_at.isoformat(),
        }
        for proposal in proposals
    ]
