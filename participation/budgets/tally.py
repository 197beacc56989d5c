"""Exact tallies of participatory-budget elections: scores, the greedy rule and the Method of
Equal Shares (MES).

Every decision is exact: scores and costs are integers; MES decides a round in floating point
only when the margin is about a million times wider than the rounding errors, else in integers
and :class:`fractions.Fraction` (:func:`equal_shares`), so the same ballots always give the
same projects.

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

__all__ = ["approval_sets", "equal_shares", "greedy", "method_of_equal_shares", "scores"]

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
    ballot of ``weights[i]`` voters: n is then the sum of the weights. In each round, for every
    project still affordable by its supporters, find the smallest equal payment q such that its
    supporters pay its cost, each paying min(q, what they have left); the project with the
    smallest q / cost ("rho") wins (ties: smallest id in string order), its supporters pay, and
    the next round starts. It stops when no project can be paid by its supporters. Projects
    with support and cost 0 are selected first; projects nobody approves never are. This is
    exactly ``pabutools.rules.method_of_equal_shares(instance, profile, sat_class=Cost_Sat)``.

    ``completion="greedy"``: MES usually leaves money unspent; the rest is then given greedily by
    number of approvals (:func:`greedy` on what is left), as Świecie and Wieliczka did with
    their "equal shares + greedy" rule. ``None`` (default): pure MES.

    For cumulative, scoring and ordinal ballots pass :func:`approval_sets` (a project appearing
    in the ballot is approved). Identical ballots are merged, then :func:`equal_shares` runs.
    """
    merged: Counter[frozenset[str]] = Counter()
    if weights is None:
        merged.update(frozenset(ballot) for ballot in approvals)
    else:
        for ballot, weight in zip(approvals, weights, strict=True):
            merged[frozenset(ballot)] += weight
    units = [ballot for ballot, weight in merged.items() if weight]
    unknown = set().union(*units) - costs.keys()
    if unknown:
        raise ValueError(f"un bulletin approuve un projet inconnu : {min(unknown)}")
    supporters: dict[str, list[int]] = {pid: [] for pid in costs}
    for position, ballot in enumerate(units):
        for pid in ballot:
            supporters[pid].append(position)
    return equal_shares(
        costs,
        {pid: np.array(ballots, np.int64) for pid, ballots in supporters.items()},
        budget,
        voters=merged.total(),
        weights=np.fromiter((merged[ballot] for ballot in units), np.int64, len(units)),
        completion=completion,
    )


def equal_shares(
    costs: Mapping[str, int],
    supporters: Mapping[str, np.ndarray],
    budget: int,
    *,
    voters: int,
    weights: np.ndarray | None = None,
    completion: str | None = None,
) -> list[str]:
    """:func:`method_of_equal_shares` on the ballots as the database gives them: for each
    project (every key of ``costs``, in any order) the ids of the ballots approving it (any
    integers, each at most once per project; ``ballot_box.supporters``). ``voters`` is n, every
    voter holding a share, those whose ballot names nothing included. With ``weights``, ids run
    from 0 to ``len(weights) - 1`` and ballot i stands for ``weights[i]`` voters.

    Two passes, one answer:

    - a fast pass in floating point (:func:`_float_pass`), vectorised over each project's
      supporters. A round is decided there only when its winner's rho is smaller than every
      other candidate's by more than one part in 10^9 (``MARGIN``), and a project is found
      unaffordable only when its supporters' money misses its cost by more than that. The
      rounding errors are a million times smaller (a winner's rho was off by at most 1.3
      parts in 10^15 against exact arithmetic over the 47 and 98 rounds of the benchmark's
      8,500 × 85 and 7,000 × 180 elections), so such a decision is the exact one;
    - otherwise (a tie the float pass cannot settle itself, see :func:`_float_pass`, or a
      margin too thin to trust) the exact pass decides everything again, in integers and
      fractions (:func:`_exact_pass`). Both are compared with pabutools and with
      each other in ``tests/participation/budgets/test_tally.py``.
    """
    if completion not in (None, "greedy"):
        raise ValueError(f"complément inconnu : {completion!r} (None ou 'greedy')")
    if voters <= 0:
        return []
    ballots = _Ballots(list(costs), [supporters[pid] for pid in costs], weights)
    cost_list = [costs[pid] for pid in ballots.projects]
    try:
        chosen = _float_pass(ballots, cost_list, budget, voters)
    except _TooClose:
        chosen = _exact_pass(ballots, cost_list, budget, voters)
    selected = [ballots.projects[position] for position in chosen]
    if completion == "greedy":
        return greedy(
            costs,
            dict(zip(ballots.projects, ballots.support, strict=True)),
            budget,
            selected=selected,
        )
    return selected


MARGIN = 1e-9


class _TooClose(Exception):
    """A decision of the float pass within ``MARGIN``: the exact pass takes over."""


def _first_and_active(ballots: _Ballots, costs: list[int]) -> tuple[list[int], set[int]]:
    """Supported projects costing nothing (selected first, by id in string order) and the
    projects the rounds compete for (supported, with a cost)."""
    names = ballots.projects
    free = sorted(
        (p for p, cost in enumerate(costs) if cost == 0 and ballots.support[p]),
        key=names.__getitem__,
    )
    return free, {p for p, cost in enumerate(costs) if cost > 0 and ballots.support[p]}


def _float_pass(ballots: _Ballots, costs: list[int], budget: int, voters: int) -> list[int]:
    """The rounds in float64, each voter's money an array entry; raises :class:`_TooClose`
    when a decision is within ``MARGIN``. Same laziness as the exact pass: a rho computed
    earlier is a lower bound of the current one (money only decreases), so a project is
    recomputed only if its supporters paid since and its old rho could still win.

    Projects whose rho are within ``MARGIN`` of each other are often exactly equal: when none
    of their supporters is short of the payment (or is certainly out of money), q is the cost
    shared by those holding money and rho = 1 / their number, for any cost (two projects
    with as many supporters tie). :func:`_exact_rho` recognises that case, then the tie is
    broken by id as in the exact pass; any other near tie goes to the exact pass."""
    selected, active = _first_and_active(ballots, costs)
    money = np.full(ballots.count, budget / voters)
    broke = np.zeros(ballots.count, bool)  # certainly no money left (exactly 0)
    unsure = np.zeros(ballots.count, bool)  # 0.0 here, but maybe not exactly
    weights = None if ballots.all_ones else ballots.weights.astype(np.float64)
    names = ballots.projects
    rho = [0.0] * len(costs)
    dirty = [True] * len(costs)
    while active:
        best = np.inf
        seen: list[int] = []
        for p in sorted(active, key=rho.__getitem__):
            if rho[p] > best * (1 + MARGIN):
                break  # it (and every one after it) can neither win nor come close
            if dirty[p]:
                dirty[p] = False
                found = _float_rho(money, weights, ballots.supporters[p], costs[p])
                if found is None:  # its supporters can no longer pay for it: out for good
                    active.discard(p)
                    continue
                rho[p] = found
            seen.append(p)
            best = min(best, rho[p])
        if not seen:
            break
        close = [p for p in seen if rho[p] <= best * (1 + MARGIN)]
        if len(close) == 1:
            winner = close[0]
            payment = best * costs[winner]
        else:
            exact = {p: _exact_rho(money, broke, unsure, ballots, p, costs[p]) for p in close}
            if None in exact.values():
                raise _TooClose
            winner = min(close, key=lambda p: (exact[p], names[p]))
            payment = float(exact[winner] * costs[winner])
        active.discard(winner)
        selected.append(winner)
        payers = ballots.supporters[winner]
        held = money[payers]
        broke[payers] = held < payment * (1 - MARGIN)
        unsure[payers] = (held <= payment * (1 + MARGIN)) & ~broke[payers]
        left = held - payment
        np.maximum(left, 0.0, out=left)
        money[payers] = left
        for p in ballots.projects_of(payers[held > 0]):
            dirty[p] = True
    return selected


def _exact_rho(
    money: np.ndarray,
    broke: np.ndarray,
    unsure: np.ndarray,
    ballots: _Ballots,
    p: int,
    cost: int,
) -> Fraction | None:
    """The project's exact rho when it is 1 / (the weight of its supporters with money
    left): nobody unsure, and each of those certainly holds its share of the cost; else
    ``None``."""
    supporters = ballots.supporters[p]
    if unsure[supporters].any():
        return None
    holding = supporters[~broke[supporters]]
    count = int(ballots.weights[holding].sum())
    if not count or money[holding].min() < cost / count * (1 + MARGIN):
        return None
    return Fraction(1, count)


def _float_rho(
    money: np.ndarray, weights: np.ndarray | None, supporters: np.ndarray, cost: int
) -> float | None:
    """The project's rho from its supporters' money (``None``: they cannot pay its cost);
    :class:`_TooClose` if that is within ``MARGIN``. Supporters by increasing money: with
    the first j paying all they have, the others pay q_j = (cost - what the first j have) /
    (how many others); q is the first q_j not above the j-th supporter's money."""
    held = money[supporters]
    if weights is None:
        held.sort()
        paid = np.cumsum(held)
        total = paid[-1]
        count = np.arange(len(held), 0, -1, dtype=np.float64)
        levels = (cost - (paid - held)) / count
    else:
        order = np.argsort(held)
        held, weight = held[order], weights[supporters][order]
        given = held * weight
        paid = np.cumsum(given)
        total = paid[-1]
        count = weight.sum() - (np.cumsum(weight) - weight)
        levels = (cost - (paid - given)) / count
    if total < cost * (1 - MARGIN):
        return None
    if total <= cost * (1 + MARGIN):
        raise _TooClose
    first = int(np.argmax(levels <= held))
    return float(levels[first]) / cost


def _exact_pass(ballots: _Ballots, costs: list[int], budget: int, voters: int) -> list[int]:
    """The rounds in exact arithmetic. Money is counted in integer units (1/n of a euro at
    first, finer when a payment needs it), so every starting share is the integer ``budget``;
    ballots with the same money left form one "class", so finding q counts supporters per class
    and sorts a handful of classes, not every supporter. A project's rho is recomputed only
    when one of its supporters paid and, as in pabutools, only while its previous rho (a lower
    bound, since money only decreases) does not exceed the best rho of the round."""
    n = voters
    selected, active = _first_and_active(ballots, costs)

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
    classes = np.zeros(ballots.count, np.int64)  # each ballot's class

    def current(cls: int) -> int:
        if scales[cls] != scale:
            values[cls] *= scale // scales[cls]
            scales[cls] = scale
        return values[cls]

    def priced(p: int) -> list[tuple[int, int]]:
        found, weights = ballots.classes_of_supporters(classes, p)
        return [
            (values[cls] if scales[cls] == scale else current(cls), weight)
            for cls, weight in zip(found, weights, strict=True)
        ]

    # rho of each active project: exact if it is not dirty, else a lower bound. Kept as
    # (float, Fraction, id): float() never inverts an order, so tuples compare as the
    # Fractions do, the exact Fraction deciding only between equal floats (comparing Fractions
    # is slow), then the id in string order (the tie-break).
    names = ballots.projects
    rho: dict[int, tuple[float, Fraction, str]] = {p: (0.0, Fraction(0), names[p]) for p in active}
    dirty = set(active)
    while active:
        clean = [rho[p] + (p,) for p in active if p not in dirty]
        best = min(clean) if clean else None
        for stale in sorted(rho[p] + (p,) for p in dirty if p in active):
            if best is not None and stale[:2] > best[:2]:
                break  # its rho is at least its stale value: it can neither win nor tie
            p = stale[3]
            dirty.discard(p)
            found = _rho(costs[p] * n * scale, priced(p))
            if found is None:  # its supporters can no longer pay for it: out for good
                active.discard(p)
                del rho[p]
                continue
            due, count = found
            exact = Fraction(due, count * costs[p] * scale)
            rho[p] = (float(exact), exact, names[p])
            if best is None or rho[p] + (p,) < best:
                best = rho[p] + (p,)
        if best is None:
            break
        _float, best_rho, _name, chosen = best
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
        paying = np.unique(classes[ballots.supporters[chosen]]).tolist()
        for cls in paying:
            left = current(cls) - q
            left = left if left > 0 else 0
            new = class_of_value.get(left)
            if new is None:
                new = class_of_value[left] = len(values)
                values.append(left)
                scales.append(scale)
            remap.append(new)
        payers = ballots.supporters[chosen]
        before = classes[payers]
        after = np.asarray(remap, np.int64)[np.searchsorted(paying, before)]
        classes[payers] = after
        dirty.update(ballots.projects_of(payers[after != before]))
    return selected


class _Ballots:
    """The ballots of a Method of Equal Shares as arrays: each ballot's weight, and for each
    project the ballots supporting it (one index array per project, ballots numbered 0 to
    ``count`` - 1), and each ballot's projects as a bit set (to find the projects whose rho a
    payment may have changed). What the rounds do to every supporter of a project runs in
    numpy, not Python."""

    def __init__(
        self, projects: list[str], supporters: list[np.ndarray], weights: np.ndarray | None
    ):
        self.projects = projects
        lengths = np.fromiter(map(len, supporters), np.int64, len(supporters))
        ids = np.concatenate(supporters) if supporters else np.empty(0, np.int64)
        if weights is None:  # ballot ids from the database: numbered 0, 1... in their order
            ids, count = _numbered(ids)
            weights = np.ones(count, np.int64)
        self.count = len(weights)
        self.weights = weights
        self.all_ones = bool((weights == 1).all())
        bounds = np.concatenate(([0], np.cumsum(lengths)))
        self.supporters = [ids[bounds[p] : bounds[p + 1]] for p in range(len(projects))]
        self.support = [int(weights[ballots].sum()) for ballots in self.supporters]
        words = (len(projects) + 63) // 64
        project = np.repeat(np.arange(len(projects), dtype=np.uint64), lengths)
        self.bits = np.zeros((self.count, max(words, 1)), np.uint64)
        np.bitwise_or.at(
            self.bits, (ids, project >> np.uint64(6)), np.uint64(1) << (project & np.uint64(63))
        )

    def projects_of(self, ballots: np.ndarray) -> list[int]:
        """The projects any of ``ballots`` approves."""
        if not len(ballots):
            return []
        union = np.bitwise_or.reduce(self.bits[ballots], axis=0)
        found = np.flatnonzero(np.unpackbits(union.view(np.uint8), bitorder="little"))
        return found.tolist()

    def classes_of_supporters(self, classes: np.ndarray, p: int) -> tuple[list[int], list[int]]:
        """The money classes of the project's supporters and how many voters are in each."""
        supporters = self.supporters[p]
        if self.all_ones:
            found, counts = np.unique(classes[supporters], return_counts=True)
            return found.tolist(), counts.tolist()
        found, inverse = np.unique(classes[supporters], return_inverse=True)
        counts = np.bincount(inverse, weights=self.weights[supporters])  # exact below 2**53
        return found.tolist(), [int(count) for count in counts.tolist()]


def _numbered(ids: np.ndarray) -> tuple[np.ndarray, int]:
    """``ids`` renumbered 0, 1... in increasing order of id, and how many distinct ones. A
    budget's ballot ids are nearly consecutive: a mark per id in their range is faster than
    sorting them, unless the range is much wider than their number."""
    if not len(ids):
        return ids, 0
    low, high = int(ids.min()), int(ids.max())
    if high - low > 4 * len(ids) + 1024:
        unique, numbers = np.unique(ids, return_inverse=True)
        return numbers, len(unique)
    seen = np.zeros(high - low + 1, bool)
    seen[ids - low] = True
    numbers = np.cumsum(seen) - 1
    return numbers[ids - low], int(numbers[-1]) + 1


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
