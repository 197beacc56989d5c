"""The count: votes per candidate from the secret box, seats to the most voted, ties broken
by the rule fixed in advance, optional gender alternation, turnout and the audit.

The drawing of lots is a pure function of the published seed and the candidates' numbers:
a candidate's lot is ``sha256("<seed>:<candidate id>")`` in hexadecimal, the smallest lot
wins a tie. Anyone can re-run it (docs/elections.md gives the one-line command)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from participation import secret_ballots

from .models import Candidate, Election, Elector, box_name


def lot(seed: str, candidate_id: int) -> str:
    return hashlib.sha256(f"{seed}:{candidate_id}".encode()).hexdigest()


@dataclass(frozen=True)
class Row:
    candidate: Candidate
    votes: int
    rank: int
    elected: bool
    tied: bool  # shares its number of votes with another candidate: the tie rule ordered them


@dataclass(frozen=True)
class Outcome:
    rows: list[Row]
    ballots: int
    electors: int
    audit: secret_ballots.BoxAudit
    seed: str
    tie_rule: str

    @property
    def turnout_percent(self) -> float:
        return round(100 * self.audit.voters / self.electors, 1) if self.electors else 0.0


def order(candidates: list[Candidate], votes: dict[int, int], election: Election) -> list:
    """The candidates from the most voted down, ties broken by the election's rule."""

    def tie_key(candidate: Candidate):
        if election.tie_rule == Election.TieRule.EARLIEST:
            return (candidate.created_at, candidate.pk)
        return lot(election.seed, candidate.pk)

    return sorted(candidates, key=lambda c: (-votes.get(c.pk, 0), tie_key(c)))


def allocate(ranked: list[Candidate], seats: int, parity: bool) -> list[Candidate]:
    """The elected: the first ``seats`` of the ranking; with parity, seats alternate women
    and men from the top candidate's gender (when one gender runs out, the next in line)."""
    if not parity:
        return ranked[:seats]
    remaining = list(ranked)
    elected: list[Candidate] = []
    wanted = remaining[0].gender if remaining else None
    while remaining and len(elected) < seats:
        pick = next((c for c in remaining if c.gender == wanted), remaining[0])
        elected.append(pick)
        remaining.remove(pick)
        wanted = (
            Candidate.Gender.MAN
            if pick.gender == Candidate.Gender.WOMAN
            else Candidate.Gender.WOMAN
        )
    return elected


def election_count(election: Election) -> Outcome:
    component = election.component
    box = box_name(component)
    votes = dict(secret_ballots.box_count(box=box))
    candidates = list(
        Candidate.objects.filter(
            component=component, status=Candidate.Status.VALIDATED
        ).select_related("photo")
    )
    ranked = order(candidates, votes, election)
    elected = {c.pk for c in allocate(ranked, election.seats, election.parity)}
    tallies = [votes.get(c.pk, 0) for c in ranked]
    rows = [
        Row(
            candidate=c,
            votes=votes.get(c.pk, 0),
            rank=position,
            elected=c.pk in elected,
            tied=tallies.count(votes.get(c.pk, 0)) > 1,
        )
        for position, c in enumerate(ranked, start=1)
    ]
    audit = secret_ballots.box_audit(box=box)
    return Outcome(
        rows=rows,
        ballots=audit.ballots,
        electors=Elector.objects.filter(component=component).count(),
        audit=audit,
        seed=election.seed,
        tie_rule=election.tie_rule,
    )
