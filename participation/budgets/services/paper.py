"""Paper ballots: an agent enters one, another confirms it by the same choices; only then does it
count, as a ballot of its own (no voter account)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid
from core.text import clean_text
from participation.services import ensure_perm

from .. import secret
from ..models import (
    Ballot,
    Budget,
    PaperBallot,
)
from .ballots import (
    BallotToWrite,
    ChoiceInput,
    insert_first_ballot,
    replace_ballot,
    validate_choices,
)


def paper_ballot_enter(
    *, agent: User, budget: Budget, polling_station: str, choices: Iterable[ChoiceInput]
) -> PaperBallot:
    """A paper ballot as typed by a town agent: checked like an online one, not counted yet."""
    ensure_perm(agent, "budgets.enter_paper_ballot", budget)
    station = clean_text(polling_station, label=_("Bureau de vote"), max_length=120)
    rows = validate_choices(budget, list(choices))
    return PaperBallot.objects.create(
        budget=budget,
        polling_station=station,
        entered_by=agent,
        choices=[
            [project_id, rank if rank is not None else points] for project_id, rank, points in rows
        ],
    )


def paper_ballot_confirm(*, agent: User, paper: PaperBallot) -> Ballot | None:
    """A second agent confirms the typed ballot: it becomes a counted ballot (in the secret
    box for a budget voted « secret »: then no ``Ballot``, None)."""
    ensure_perm(agent, "budgets.enter_paper_ballot", paper.budget)
    with transaction.atomic():
        paper = PaperBallot.objects.select_for_update().select_related("budget").get(pk=paper.pk)
        if paper.confirmed_at is not None:
            raise Conflict(_("Ce bulletin papier est déjà confirmé."))
        if paper.entered_by_id == agent.pk:
            raise Invalid(
                _("Un bulletin papier est confirmé par un autre agent que celui qui l'a saisi.")
            )
        rows = validate_choices(paper.budget, [tuple(pair) for pair in paper.choices])
        if paper.budget.secret_ballot:
            secret.paper_add(paper.budget, rows)
            paper.confirmed_by = agent
            paper.confirmed_at = timezone.now()
            paper.save(update_fields=["confirmed_by", "confirmed_at"])
            return None
        written = BallotToWrite(None, f"paper:{paper.pk}", rows, Ballot.Source.PAPER)
        paper.ballot = insert_first_ballot(paper.budget, written) or replace_ballot(
            paper.budget, written
        )
        paper.confirmed_by = agent
        paper.confirmed_at = timezone.now()
        paper.save(update_fields=["ballot", "confirmed_by", "confirmed_at"])
    return paper.ballot
