"""An election as its vote reads it (its component with the space and phases, the rules, every
candidacy's status), kept in the engine's generation cache: a vote reads it in one round trip
instead of four queries. The roll is not here: the vote reads it in its own statement
(``services.ballot_cast``)."""

from __future__ import annotations

from dataclasses import dataclass

from participation.generation_cache import GenerationCache

from .models import Election

ELECTIONS = GenerationCache(
    "elections",
    (
        "elections.Election",
        "elections.Candidate",
        "participation.Phase",
        "participation.Component",
        "participation.Space",
        "participation.Neighbourhood",
    ),
)
connect_signals = ELECTIONS.connect_signals


@dataclass(frozen=True)
class BallotPage:
    """The election (``election.component`` with its space and phases) and the status of
    each candidacy by id."""

    election: Election
    statuses: dict[int, str]
