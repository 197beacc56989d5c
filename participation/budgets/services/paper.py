"""Paper ballots typed twice: an agent enters one, a second agent types it again without
seeing the first entry. Same entries: it counts, as a ballot of its own (no voter account).
Different entries: it is flagged, counts for nothing, and a town administrator resolves it
by choosing the right entry or typing the ballot as it is."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict
from core.text import clean_text
from participation.double_entry import check_second_agent, entries_match
from participation.services import ensure_perm

from .. import secret
from ..models import Ballot, Budget, PaperBallot
from .ballots import (
    BallotToWrite,
    ChoiceInput,
    insert_first_ballot,
    replace_ballot,
    validate_choices,
)


def _typed(budget: Budget, choices: Iterable[ChoiceInput]) -> list[list]:
    """The entry, checked like an online ballot, as stored: [[project id, value], ...]."""
    pairs = [tuple(choice) if isinstance(choice, list) else choice for choice in choices]
    rows = validate_choices(budget, pairs)
    return [[project_id, rank if rank is not None else points] for project_id, rank, points in rows]


def paper_ballot_enter(
    *, agent: User, budget: Budget, polling_station: str, choices: Iterable[ChoiceInput]
) -> PaperBallot:
    """A paper ballot as typed by a town agent: checked like an online one, not counted yet."""
    ensure_perm(agent, "budgets.enter_paper_ballot", budget)
    station = clean_text(polling_station, label=_("Bureau de vote"), max_length=120)
    return PaperBallot.objects.create(
        budget=budget,
        polling_station=station,
        entered_by=agent,
        choices=_typed(budget, choices),
    )


def _count(paper: PaperBallot, choices: list[list]) -> None:
    """The ballot into the count (the secret box for a budget voted « secret »)."""
    rows = validate_choices(paper.budget, [tuple(pair) for pair in choices])
    if paper.budget.secret_ballot:
        secret.paper_add(paper.budget, rows)
    else:
        written = BallotToWrite(None, f"paper:{paper.pk}", rows, Ballot.Source.PAPER)
        paper.ballot = insert_first_ballot(paper.budget, written) or replace_ballot(
            paper.budget, written
        )
    paper.status = PaperBallot.Status.COUNTED
    paper.confirmed_at = timezone.now()


def _locked(paper: PaperBallot, status: str) -> PaperBallot:
    locked = PaperBallot.objects.select_for_update().select_related("budget").get(pk=paper.pk)
    locked.budget.component = paper.budget.component
    if locked.status != status:
        raise Conflict(
            _("Ce bulletin papier est déjà compté.")
            if locked.status == PaperBallot.Status.COUNTED
            else _("Ce bulletin papier a déjà été saisi deux fois.")
        )
    return locked


def paper_ballot_retype(
    *, agent: User, paper: PaperBallot, choices: Iterable[ChoiceInput]
) -> PaperBallot:
    """The second entry, by another agent: the ballot counts if it is the same as the first
    (then ``paper.ballot`` is the counted ballot, None for a secret budget), else it is
    flagged ``mismatch`` and counts for nothing until resolved."""
    ensure_perm(agent, "budgets.enter_paper_ballot", paper.budget)
    with transaction.atomic():
        paper = _locked(paper, PaperBallot.Status.TYPED)
        check_second_agent(paper.entered_by_id, agent)
        second = _typed(paper.budget, choices)
        paper.confirmed_by = agent
        paper.second_choices = second
        if entries_match(paper.choices, second):
            _count(paper, second)
        else:
            paper.status = PaperBallot.Status.MISMATCH
        paper.save(
            update_fields=["confirmed_by", "second_choices", "status", "confirmed_at", "ballot"]
        )
    return paper


def paper_ballot_resolve(
    *, actor: User, paper: PaperBallot, choices: Iterable[ChoiceInput]
) -> PaperBallot:
    """A town administrator says what the flagged ballot holds (one of the two entries, or
    the ballot as they read it): it counts, once."""
    ensure_perm(actor, "budgets.resolve_paper_ballot", paper.budget)
    with transaction.atomic():
        paper = _locked(paper, PaperBallot.Status.MISMATCH)
        right = _typed(paper.budget, choices)
        paper.resolved_by = actor
        paper.resolved_choices = right
        _count(paper, right)
        paper.save(
            update_fields=["resolved_by", "resolved_choices", "status", "confirmed_at", "ballot"]
        )
    return paper
