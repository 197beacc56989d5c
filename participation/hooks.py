"""What the engine and the participatory modules exchange through the registry's hooks.

Modules never import each other: one that offers something to the others (the budgets module
takes proposals to its vote) declares it on its ComponentType; one that needs it (the ideas
module) asks the registry, and listens to the engine's signals below. Either may be absent.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.dispatch import Signal

# The e-mail digest -------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    title: str
    space: str
    link: str
    when: datetime.datetime


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    items: list[DigestItem] = field(default_factory=list)


# Votes that take other modules' items ------------------------------------------------------


@dataclass(frozen=True)
class Vote:
    """A vote that items of another module can be put to (a participatory budget)."""

    pk: int
    label: str
    results_published: bool

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class VoteReceiver:
    """How a module takes proposals of another module to its votes.

    ``votes()`` lists every vote of the town; ``vote_get(pk)`` finds one (None: no such vote);
    ``item_add(actor=, vote_pk=, title=, description=, cost=, origin_pk=, latitude=None,
    longitude=None)`` adds an item (at that place, if any) to
    the vote through the receiving module's own service (its rules apply, its errors are
    raised) and returns the new item's pk, which ``results_published`` later names.
    """

    votes: Callable[[], list[Vote]]
    vote_get: Callable[[int], Vote | None]
    item_add: Callable[..., int]


# Sent by the receiving module once a vote's results are published (after the commit):
# ``budget`` is the vote (its ``pk`` is a Vote's), ``selected_ids`` the pks of its selected
# items. The module whose proposals went to that vote moves them on.
results_published = Signal()


# The town's map ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapPoint:
    """One place on the town's map (ideas, projects): public data only, as anyone reading the
    item's page sees it."""

    kind: str  # "idea", "project": what the legend and the list group by
    kind_label: str  # "Idée", "Projet", in the current language
    title: str
    latitude: float
    longitude: float
    url: str  # the item's public page
    space: str  # the title of the space it belongs to
    status: str = ""  # its public status, in words ("Recevable", "Retenu"...)


# Open data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDataset:
    """One public dataset of the town (participation.opendata, /donnees/): what anyone reading
    the town's pages can read, never a resident's name, e-mail address or phone number.

    ``key`` names the files (``/donnees/<key>.csv`` and ``.json``); ``rows()``, called only when
    the dataset is downloaded, gives one dict per record with the ``columns`` as keys (text,
    numbers, booleans, dates or None); ``modified`` is when its content last changed (None:
    unknown)."""

    key: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[dict[str, Any]]]
    modified: datetime.datetime | None = None
