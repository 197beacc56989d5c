"""Exact tallies of participatory-budget elections: scores, the greedy rule and the Method of
Equal Shares (MES).

Every comparison is exact: scores and costs are integers, and MES works on integers and
:class:`fractions.Fraction` (never floats), so the same ballots always give the same projects.
The rules are checked against ``pabutools`` (the reference implementation) on real pabulib
elections by ``tests/participation/budgets/test_tally.py`` and timed against it by
``benchmarks/pb_tally.py``.

Ties are broken as pabutools' default ``lexico_tie_breaking`` does: between projects with the
same score (greedy) or the same price per unit of satisfaction (MES), the one whose id comes
first in plain string order wins. String order, not numeric order: ``"10"`` comes before
``"9"``, exactly as in pabutools, which compares project names as strings.

Pure Python, no Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .pabulib import PabulibInstance

__all__ = ["approval_sets", "greedy", "method_of_equal_shares", "scores"]

Number = int | Fraction


def scores(
    data: PabulibInstance | Iterable[Sequence[str]],
    *,
    vote_type: str | None = None,
    points: Iterable[Sequence[int]] | None = None,
    max_length: int | None = None,
    projects: Iterable[str] = (),
) -> dict[str, int]:
    """The score of every project, as an integer.

    ``data`` is a parsed :class:`~participation.budgets.pabulib.PabulibInstance` (everything
    else is then read from it), or the ballots themselves (each a sequence of project ids, in
    rank order for ordinal ballots) with ``vote_type`` and, for cumulative/scoring ballots,
    ``points`` (one sequence per ballot, parallel to it).

    - ``approval``: the number of ballots that approve the project;
    - ``cumulative`` and ``scoring``: the sum of the points it received;
    - ``ordinal``: with k the longest allowed ballot (META ``max_length``, or the longest ballot
      if that is longer or the limit is absent), the project ranked r-th (1-based) on a ballot
      gets k - r + 1 points (k, k-1, ..., 1). This is how Kraków counts, and it reproduces the
      ``score`` column of the pabulib files.

    Every project of the instance (or of ``projects``) is in the result, with 0 if unsupported.
    """
    if vote_type is None and hasattr(data, "votes"):
        instance = data
        vote_type = instance.vote_type
        ballots: list[Sequence[str]] = [vote.projects for vote in instance.votes]
        if vote_type in ("cumulative", "scoring"):
            points = [vote.points or () for vote in instance.votes]
        if max_length is None and instance.meta.get("max_length", "").strip():
            max_length = int(instance.meta["max_length"])
        projects = chain(projects, instance.projects)
    else:
        ballots = list(data)  # type: ignore[arg-type]
        vote_type = vote_type or "approval"

    result: dict[str, int] = dict.fromkeys(projects, 0)
    if vote_type == "approval":
        result.update(Counter(chain.from_iterable(ballots)))
        # Counter.update would add; dict.update replaces, and the counts are complete.
        return result
    if vote_type in ("cumulative", "scoring"):
        if points is None:
            raise ValueError(f"des points sont nécessaires pour un vote {vote_type}")
        for ballot, given in zip(ballots, points, strict=True):
            if len(ballot) != len(given):
                raise ValueError("un bulletin n'a pas autant de points que de projets")
            for pid, value in zip(ballot, given, strict=True):
                result[pid] = result.get(pid, 0) + value
        return result
    if vote_type == "ordinal":
        longest = max((len(ballot) for ballot in ballots), default=0)
        k = max(longest, max_length or 0)
        for ballot in ballots:
            for rank, pid in enumerate(ballot):
                result[pid] = result.get(pid, 0) + k - rank
        return result
    raise ValueError(f"type de vote inconnu : {vote_type}")


def approval_sets(instance: PabulibInstance) -> list[frozenset[str]]:
    """One approval set per ballot, for MES: the projects the ballot names. For cumulative,
    scoring and ordinal ballots a project appearing in the ballot counts as approved, whatever
    its points or rank (pabutools' ``Cost_Sat`` does the same: it only asks whether the project
    is in the ballot)."""
    return [frozenset(vote.projects) for vote in instance.votes]


def greedy(
    costs: Mapping[str, int],
    scores: Mapping[str, Number],
    budget: int,
    *,
    selected: Iterable[str] = (),
) -> list[str]:
    """The greedy rule (the rule most towns use): take projects from the most supported down,
    funding each one that still fits in what is left of ``budget`` and skipping the others.

    Ties between equal scores: the project id first in string order wins (pabutools'
    lexicographic tie-breaking). With approval scores this selects exactly what
    ``pabutools.rules.greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)``
    selects: with cost satisfaction a project brings (approvals x cost) for its cost, so
    pabutools' "satisfaction per unit of cost" is the approval count.

    Projects missing from ``scores`` score 0; like pabutools, projects with no support are still
    funded at the end if they fit. ``selected`` are projects already funded (kept first, their
    cost taken from the budget): used for MES completion. Returns ids in funding order.
    """
    chosen = list(selected)
    taken = set(chosen)
    remaining = budget - sum(costs[pid] for pid in chosen)
    order = sorted((pid for pid in costs if pid not in taken), key=lambda p: (-scores.get(p, 0), p))
    for pid in order:
        cost = costs[pid]
        if cost <= remaining:
            chosen.append(pid)
            remaining -= cost
    return chosen


def method_of_equal_shares(
    costs: Mapping[str, int],
    approvals: Sequence[Collection[str]],
    budget: int,
    *,
    completion: str | None = None,
    weights: Sequence[int] | None = None,
) -> list[str]:
    """The Method of Equal Shares for approval ballots with cost utilities (a voter's utility for
    a project is its cost: pabutools' ``Cost_Sat``). Returns ids in selection order.

    Each of the n voters (``approvals`` has one entry per ballot, empty ones included) starts
    with ``budget / n``. With ``weights`` (parallel to ``approvals``), ``approvals[i]`` is the
    ballot of ``weights[i]`` voters (identical ballots read once, as
    ``ballot_box.distinct_ballots`` gives them): n is then the sum of the weights. In each
    round, for every project still affordable by its supporters,
    find the smallest equal payment q such that its supporters pay its cost, each paying
    min(q, what they have left); the project with the smallest q / cost wins (ties: smallest
    id in string order), its supporters pay, and the next round starts. It stops when no
    project can be paid by its supporters. Projects with support and cost 0 are selected first;
    projects nobody approves never are. This is exactly
    ``pabutools.rules.method_of_equal_shares(instance, profile, sat_class=Cost_Sat)``.

    ``completion="greedy"``: MES usually leaves money unspent; the rest is then given greedily by
    number of approvals (:func:`greedy` on what is left), as Świecie and Wieliczka did with
    their "equal shares + greedy" rule. ``None`` (default): pure MES.

    For cumulative, scoring and ordinal ballots pass :func:`approval_sets` (a project appearing
    in the ballot is approved).

    Implementation (fast, exact): identical ballots are merged (with a weight); money is
    counted in integer units (1/n of a euro at first, finer when a payment needs it), so every
    starting share is the integer ``budget``; ballots with the same money left form one
    "class", so finding q ("rho" in the literature) counts supporters per class and sorts a
    handful of classes, not every supporter. A project's rho is recomputed only when one of
    its supporters paid and, as in pabutools, only while its previous rho (a lower bound, since
    money only decreases) does not exceed the best rho of the round. The ballots' classes are
    numpy arrays (``_Ballots``); the money stays in Python integers.
    """
    if completion not in (None, "greedy"):
        raise ValueError(f"complément inconnu : {completion!r} (None ou 'greedy')")
    merged: Counter[frozenset[str]] = Counter()
    if weights is None:
        merged.update(frozenset(ballot) for ballot in approvals)
    else:
        for ballot, weight in zip(approvals, weights, strict=True):
            merged[frozenset(ballot)] += weight
    n = merged.total()
    if n == 0:
        return []
    units = [(ballot, weight) for ballot, weight in merged.items() if weight]
    unknown = set().union(*merged) - costs.keys()
    if unknown:
        raise ValueError(f"un bulletin approuve un projet inconnu : {min(unknown)}")
    ballots = _Ballots(units, costs)
    support = dict(zip(costs, ballots.support, strict=True))

    selected = sorted(pid for pid, cost in costs.items() if cost == 0 and support[pid])
    active = {pid for pid, cost in costs.items() if cost > 0 and support[pid]}

    # Money is counted in units of 1 / (n * scale): a voter starts with budget * scale units and
    # a project costs cost * n * scale. When a payment is not a whole number of units, scale is
    # multiplied by its denominator, so values stay integers and sorting them is cheap; rho
    # values are Fractions, independent of the scale. A class's value is brought to the
    # current scale when it is next read (``current``), not at every change of scale: most
    # classes are not read again for many rounds, and a city's voters are tens of thousands
    # of classes. Values are Python integers (exact, unbounded); only the ballots' class ids
    # and weights are arrays.
    scale = 1
    values: list[int] = [budget]  # class id -> units left to each voter of the class...
    scales: list[int] = [1]  # ... counted at this scale
    class_of_value: dict[int, int] = {budget: 0}  # classes created at the current scale

    def current(cls: int) -> int:
        if scales[cls] != scale:
            values[cls] *= scale // scales[cls]
            scales[cls] = scale
        return values[cls]

    def priced(pid: str) -> list[tuple[int, int]]:
        classes, weights = ballots.classes_of_supporters(pid)
        return [
            (values[cls] if scales[cls] == scale else current(cls), weight)
            for cls, weight in zip(classes, weights, strict=True)
        ]

    # rho of each active project: exact if it is not dirty, else a lower bound. Kept as
    # (float, Fraction): float() never inverts an order, so tuples compare as the Fractions do,
    # the exact Fraction deciding only between equal floats (comparing Fractions is slow).
    rho: dict[str, tuple[float, Fraction]] = dict.fromkeys(active, (0.0, Fraction(0)))
    dirty = set(active)
    while active:
        clean = [(rho[pid], pid) for pid in active if pid not in dirty]
        best = min(clean) if clean else None
        for stale, pid in sorted((rho[pid], pid) for pid in dirty if pid in active):
            if best is not None and stale > best[0]:
                break  # its rho is at least its stale value: it can neither win nor tie
            dirty.discard(pid)
            found = _rho(costs[pid] * n * scale, priced(pid))
            if found is None:  # its supporters can no longer pay for it: out for good
                active.discard(pid)
                del rho[pid]
                continue
            due, count = found
            exact = Fraction(due, count * costs[pid] * scale)
            rho[pid] = (float(exact), exact)
            if best is None or (rho[pid], pid) < best:
                best = (rho[pid], pid)
        if best is None:
            break
        (_float, best_rho), chosen = best
        del rho[chosen]
        active.discard(chosen)
        selected.append(chosen)
        payment = best_rho * costs[chosen] * scale  # q, in units
        if payment.denominator != 1:
            scale *= payment.denominator  # q is now whole
            # Classes of equal value need not be one: new ones merge among themselves only.
            class_of_value = {}
        q = payment.numerator  # q in the (possibly new) units: an integer
        remap: list[int] = []
        paying = ballots.classes_paying(chosen)
        for cls in paying:
            left = current(cls) - q
            left = left if left > 0 else 0
            new = class_of_value.get(left)
            if new is None:
                new = class_of_value[left] = len(values)
                values.append(left)
                scales.append(scale)
            remap.append(new)
        dirty.update(ballots.pay(chosen, paying, remap))

    if completion == "greedy":
        return greedy(costs, support, budget, selected=selected)
    return selected


class _Ballots:
    """The distinct ballots of a Method of Equal Shares as arrays: each one's weight and money
    class, and for each project the ballots supporting it (one index array per project). What
    the rounds do to every supporter of a project (find their classes, move them to the class
    of what they have left, mark the projects of those ballots) runs in numpy, not Python."""

    def __init__(self, units: list[tuple[frozenset[str], int]], costs: Mapping[str, int]):
        self.projects = list(costs)
        index = {pid: position for position, pid in enumerate(self.projects)}
        lengths = np.fromiter((len(ballot) for ballot, _weight in units), np.int64, len(units))
        # Entry e: the ballot ``owner[e]`` approves the project ``approved[e]``.
        self.approved = np.fromiter(
            map(index.__getitem__, chain.from_iterable(ballot for ballot, _weight in units)),
            np.int64,
            int(lengths.sum()),
        )
        self.owner = np.repeat(np.arange(len(units)), lengths)
        self.weights = np.fromiter((weight for _ballot, weight in units), np.int64, len(units))
        self.all_ones = bool((self.weights == 1).all())
        by_project = np.argsort(self.approved, kind="stable")
        bounds = np.searchsorted(self.approved[by_project], np.arange(len(self.projects) + 1))
        supporters = self.owner[by_project]
        self.supporters = {
            pid: supporters[bounds[position] : bounds[position + 1]]
            for position, pid in enumerate(self.projects)
        }
        self.support = [int(self.weights[ballots].sum()) for ballots in self.supporters.values()]
        self.classes = np.zeros(len(units), np.int64)

    def classes_of_supporters(self, pid: str) -> tuple[list[int], list[int]]:
        """The money classes of the project's supporters and how many voters are in each."""
        supporters = self.supporters[pid]
        if self.all_ones:
            classes, counts = np.unique(self.classes[supporters], return_counts=True)
            return classes.tolist(), counts.tolist()
        classes, inverse = np.unique(self.classes[supporters], return_inverse=True)
        counts = np.bincount(inverse, weights=self.weights[supporters])  # exact below 2**53
        return classes.tolist(), [int(count) for count in counts.tolist()]

    def classes_paying(self, pid: str) -> list[int]:
        """The classes of the project's supporters, once each, in increasing order."""
        return np.unique(self.classes[self.supporters[pid]]).tolist()

    def pay(self, pid: str, paying: list[int], remap: list[int]) -> list[str]:
        """Moves each supporter of ``pid`` from its class ``paying[i]`` to ``remap[i]``; the
        projects of the ballots that changed class (their rho may have changed)."""
        supporters = self.supporters[pid]
        before = self.classes[supporters]
        after = np.asarray(remap, np.int64)[np.searchsorted(paying, before)]
        self.classes[supporters] = after
        moved = np.zeros(len(self.classes), bool)
        moved[supporters[after != before]] = True
        touched = np.unique(self.approved[moved[self.owner]])
        return [self.projects[position] for position in touched.tolist()]


def _rho(price: int, group: list[tuple[int, int]]) -> tuple[int, int] | None:
    """For a project costing ``price`` units supported by ``group`` ((money each has, number
    of such voters) pairs), the smallest equal payment q = due / count such that they pay
    ``price``, each paying min(q, what they have left), as (due, count); ``None`` if all
    their money is not enough. Same walk as pabutools: supporters by increasing money, those
    poorer than the current q pay everything they have and drop out."""
    count = sum(weight for _value, weight in group)
    paid = 0
    for value, weight in sorted(group, key=itemgetter(0)):
        due = price - paid
        if due <= value * count:  # q = due / count <= value: everyone left pays q
            return due, count
        paid += value * weight
        count -= weight
    return None
