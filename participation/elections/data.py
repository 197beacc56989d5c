"""What the dashboard and the resident's GDPR export learn of an election. Neither says how
anyone voted: the ballots are secret and hold no trace of their elector."""

from __future__ import annotations

from participation import secret_ballots

from .models import Candidate, Elector, box_name


def statistics(component) -> dict:
    audit = secret_ballots.box_audit(box=box_name(component))
    return {
        "electors": Elector.objects.filter(component=component).count(),
        "voters": audit.voters,
        "candidates": Candidate.objects.filter(
            component=component, status=Candidate.Status.VALIDATED
        ).count(),
    }


def personal_data(user) -> list[dict]:
    rows = [
        {
            "election": elector.component_id,
            "on_roll": True,
            "voted": secret_ballots.has_voted(
                box=box_name(elector.component), voter_key=elector.voter_key
            ),
        }
        for elector in Elector.objects.filter(user=user).select_related("component")
    ]
    rows += [
        {"election": c.component_id, "candidacy": c.name, "status": c.status}
        for c in Candidate.objects.filter(user=user)
    ]
    return rows
