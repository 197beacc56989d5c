"""A budget voted « secret » (``Budget.secret_ballot``): its ballots go to the engine's secret
ballot box (``participation.secret_ballots``) instead of ``Ballot`` rows. The voter is marked
apart from what they chose, a ballot cannot be changed once cast, and the results read the box.
A choice in the box is ``[project id, rank, points]``."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Max, Q

from participation import secret_ballots

from .models import Budget


def box(budget: Budget) -> str:
    return f"budgets:{budget.pk}"


def voter_key(user) -> str:
    return f"user:{user.pk}"


def as_choices(rows) -> list[list]:
    return [[project_id, rank, points] for project_id, rank, points in rows]


def cast(voter, budget: Budget, rows) -> str:
    """The voter's one ballot in the box; ``Conflict`` if they have voted already."""
    return secret_ballots.ballot_cast(
        box=box(budget), voter_key=voter_key(voter), choices=as_choices(rows)
    )


def paper_add(budget: Budget, rows) -> str:
    return secret_ballots.paper_ballot_add(box=box(budget), choices=as_choices(rows))


def has_voted(user, budget: Budget) -> bool:
    return user.is_authenticated and secret_ballots.has_voted(
        box=box(budget), voter_key=voter_key(user)
    )


def distinct_ballots(budget: Budget) -> list[tuple[tuple[int, ...], int]]:
    """Every distinct ballot of the box: (project ids, sorted; how many cast it)."""
    merged: Counter = Counter()
    for choices, count in secret_ballots.box_distinct_ballots(box=box(budget)):
        merged[tuple(sorted(project for project, _rank, _points in choices))] += count
    return list(merged.items())


def project_scores(budget: Budget) -> dict[int, tuple[int, int]]:
    """As ``selectors.project_scores``, from the box (each distinct ballot read once, with
    how many cast it): {project: (ballots naming it, score)}."""
    ballots = secret_ballots.box_distinct_ballots(box=box(budget))
    votes: Counter = Counter()
    score: Counter = Counter()
    k = max([budget.max_projects or 0, *(len(ballot) for ballot, _count in ballots)])
    for ballot, count in ballots:
        for project, rank, points in ballot:
            votes[project] += count
            if budget.ballot_rule == Budget.BallotRule.CUMULATIVE:
                score[project] += (points or 0) * count
            elif budget.ballot_rule == Budget.BallotRule.RANKED:
                score[project] += (k + 1 - rank) * count
            else:
                score[project] += count
    return {project: (votes[project], score[project]) for project in votes}


def component_boxes(component) -> list[str]:
    """The boxes of the component's budgets (those voted openly have none: nothing to find)."""
    return [box(budget) for budget in Budget.objects.filter(component=component)]


def boxes_closed(now: datetime.datetime) -> list[str]:
    """The boxes of the budgets voted « secret » whose last vote phase has ended by ``now``."""
    budgets = Budget.objects.filter(secret_ballot=True).annotate(
        closes=Max("component__phases__ends_at", filter=Q(component__phases__kind="vote"))
    )
    return [box(budget) for budget in budgets.filter(closes__lte=now)]
