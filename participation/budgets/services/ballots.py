"""A resident's ballot: its choices checked against the budget's rule, then written once per
voter (a unique index and the voter's profile lock; a neighbourhood ballot also holds the
campaign's one neighbourhood)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid
from core.formats import euros
from core.ratelimit import rate_limit
from participation.models import Profile
from participation.services import ensure_perm

from .. import secret
from ..census import CensusIdentity, census_digest
from ..models import (
    Ballot,
    BallotChoice,
    Budget,
    NeighbourhoodVoter,
    Project,
)
from ..rules import BallotAttempt

# A choice: a project id (approval, knapsack; ranked in this order), or (project id, value):
# the rank (ranked) or the points (cumulative).
ChoiceInput = int | tuple[int, int | None]
# A ballot's row as validated: (project id, rank, points).
Row = tuple[int, int | None, int | None]


# What the database's columns hold (a project's bigint key, a rank's or points' integer):
# a number past them is as unreadable as a word, not an overflow in the INSERT.
_MAX_PROJECT_ID = 2**63 - 1
_MAX_VALUE = 2**31 - 1


def _normalise_choices(choices: Iterable[ChoiceInput]) -> list[tuple[int, int | None]]:
    pairs: list[tuple[int, int | None]] = []
    for item in choices:
        if isinstance(item, tuple | list):
            project_id, value = item
        else:
            project_id, value = item, None
        try:
            pair = (int(project_id), None if value in (None, "") else int(value))
        except (TypeError, ValueError) as exc:
            raise Invalid(_("Ce bulletin contient une valeur illisible.")) from exc
        if abs(pair[0]) > _MAX_PROJECT_ID or abs(pair[1] or 0) > _MAX_VALUE:
            raise Invalid(_("Ce bulletin contient une valeur illisible."))
        pairs.append(pair)
    return pairs


def named_projects(budget: Budget, project_ids: Iterable[int]) -> dict[int, Project]:
    """The budget's projects among these ids, in one query: a ballot is checked against the
    projects it names, never against the whole budget (its cost must not grow with it)."""
    found = Project.objects.filter(budget_id=budget.pk, pk__in=list(project_ids))
    return {project.pk: project for project in found.only("pk", "title", "cost")}


@dataclass(frozen=True)
class _Unread:
    """A project named by a ballot whose belonging to the budget the INSERT checks
    (``insert_first_ballot``): the rules that need no project's data run on its id."""

    pk: int

    @property
    def title(self) -> str:
        return str(self.pk)


def validate_choices(budget: Budget, choices: Iterable[ChoiceInput]) -> list[Row]:
    """The ballot as (project id, rank, points) rows, or Invalid naming the problem; the
    projects it names are read (one query)."""
    pairs = _normalise_choices(choices)
    return _checked(budget, pairs, named_projects(budget, [pid for pid, _value in pairs]))


def _rules_checked(budget: Budget, pairs: list[tuple[int, int | None]]) -> list[Row]:
    """``validate_choices`` but for the projects' belonging to the budget, which the INSERT
    checks (no query): for the rules whose checks need no project's cost. A refusal is
    explained as ``validate_choices`` does, naming the projects (one query then)."""
    try:
        return _checked(budget, pairs, {pid: _Unread(pid) for pid, _value in pairs})
    except Invalid:
        validate_choices(budget, pairs)
        raise


def _checked(budget: Budget, pairs: list[tuple[int, int | None]], projects) -> list[Row]:
    rule = budget.ballot_rule
    if rule == Budget.BallotRule.CUMULATIVE:
        for project_id, points in pairs:
            if points is not None and points < 0:
                project = projects.get(project_id)
                raise Invalid(
                    _("Un nombre de points ne peut pas être négatif (projet « %(title)s »).")
                    % {"title": project.title if project else project_id}
                )
        # No points (or 0) means not chosen.
        pairs = [(project_id, points) for project_id, points in pairs if points]
    seen: set[int] = set()
    for project_id, _value in pairs:
        project = projects.get(project_id)
        if project is None:
            raise Invalid(
                _("Le projet n° %(id)s ne fait pas partie de ce budget.") % {"id": project_id}
            )
        if project_id in seen:
            raise Invalid(
                _("Le projet « %(title)s » figure deux fois dans votre bulletin.")
                % {"title": project.title}
            )
        seen.add(project_id)
    count = len(pairs)
    if count == 0:
        raise Invalid(_("Choisissez au moins un projet."))
    if count < budget.min_projects:
        raise Invalid(
            _("Choisissez au moins %(min)d projets (%(count)d choisis).")
            % {"min": budget.min_projects, "count": count}
        )
    if budget.max_projects is not None and count > budget.max_projects:
        raise Invalid(
            _("Vous pouvez choisir %(max)d projets au plus (%(count)d choisis).")
            % {"max": budget.max_projects, "count": count}
        )
    rows: list[Row]
    if rule == Budget.BallotRule.RANKED:
        if all(value is None for _pid, value in pairs):
            pairs = [(project_id, rank) for rank, (project_id, _v) in enumerate(pairs, start=1)]
        ranks = [value for _pid, value in pairs]
        if any(rank is None or rank < 1 for rank in ranks):
            raise Invalid(_("Donnez un rang (1, 2, 3…) à chaque projet classé."))
        for rank in ranks:
            if ranks.count(rank) > 1:
                raise Invalid(_("Le rang %(rank)d est donné à plusieurs projets.") % {"rank": rank})
        missing = [rank for rank in range(1, count + 1) if rank not in ranks]
        if missing:
            raise Invalid(
                _("Les rangs se suivent à partir de 1 : il manque le rang %(rank)d.")
                % {"rank": missing[0]}
            )
        rows = [(pid, rank, None) for pid, rank in sorted(pairs, key=lambda p: p[1])]
    elif rule == Budget.BallotRule.CUMULATIVE:
        per_project = budget.max_points_per_project
        for project_id, points in pairs:
            if per_project is not None and points > per_project:
                raise Invalid(
                    _("%(max)d points au plus par projet (%(points)d pour « %(title)s »).")
                    % {"max": per_project, "points": points, "title": projects[project_id].title}
                )
        total = sum(points for _pid, points in pairs)
        if budget.max_points is not None and total > budget.max_points:
            raise Invalid(
                _("Vous disposez de %(max)d points au plus (%(total)d attribués).")
                % {"max": budget.max_points, "total": total}
            )
        rows = [(pid, None, points) for pid, points in pairs]
    else:
        rows = [(pid, None, None) for pid, _value in pairs]
    if rule == Budget.BallotRule.KNAPSACK:
        spent = sum(projects[pid].cost for pid, _r, _p in rows)
        if spent > budget.amount:
            raise Invalid(
                _("Votre sélection coûte %(spent)s pour une enveloppe de %(amount)s.")
                % {"spent": euros(spent), "amount": euros(budget.amount)}
            )
        floor = -(-budget.amount * budget.min_spend_percent // 100)
        if spent < floor:
            raise Invalid(
                _(
                    "Votre sélection coûte %(spent)s : utilisez au moins %(percent)d %% de "
                    "l'enveloppe, soit %(floor)s."
                )
                % {
                    "spent": euros(spent),
                    "percent": budget.min_spend_percent,
                    "floor": euros(floor),
                }
            )
    return rows


class ProjectsOutside(Invalid):
    """A ballot names a project that is not the budget's: ``insert_first_ballot`` wrote
    nothing (the caller names the project, see ``validate_choices``)."""

    def __init__(self) -> None:
        super().__init__(_("Un projet de ce bulletin ne fait pas partie de ce budget."))


@functools.cache
def _first_ballot_sql() -> tuple[str, list]:
    """The statement of ``insert_first_ballot`` and the ballot fields it writes (quoted
    names and types from the models' metadata only: the values are parameters). It counts
    the budget's projects among those the ballot names (by their primary key: whatever the
    budget's size); the ballot is inserted only if they all are, and its choices from its
    RETURNING, in the order given (their ids keep it, as ``ballot_of`` reads an unranked
    ballot by id), none when the ballot was not inserted. It answers the count and the
    ballot's id (NULL if not inserted)."""
    quote = connection.ops.quote_name
    ballot, choice, project = Ballot._meta, BallotChoice._meta, Project._meta
    fields = [field for field in ballot.concrete_fields if not field.primary_key]
    choice_columns = ", ".join(
        quote(choice.get_field(name).column) for name in ("ballot", "project", "rank", "points")
    )
    # Typed: in an INSERT … SELECT, PostgreSQL does not take the parameters' types from the
    # columns as it does for VALUES.
    values = ", ".join(f"%s::{field.cast_db_type(connection)}" for field in fields)
    pk = quote(ballot.pk.column)
    sql = (
        f"WITH named AS (SELECT count(*) AS n FROM {quote(project.db_table)} "  # noqa: S608
        f"WHERE {quote(project.get_field('budget').column)} = %s "
        f"AND {quote(project.pk.column)} = ANY(%s::bigint[])), "
        f"ballot AS (INSERT INTO {quote(ballot.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"SELECT {values} FROM named WHERE named.n = %s "
        f"ON CONFLICT DO NOTHING RETURNING {pk}), "
        f"choices AS (INSERT INTO {quote(choice.db_table)} ({choice_columns}) "
        f"SELECT ballot.{pk}, given.project, given.rank, given.points FROM ballot, "
        "unnest(%s::bigint[], %s::integer[], %s::integer[]) WITH ORDINALITY "
        "AS given(project, rank, points, position) ORDER BY given.position) "
        f"SELECT named.n, (SELECT {pk} FROM ballot) FROM named"
    )
    return sql, fields


@dataclass(frozen=True)
class BallotToWrite:
    """A ballot as validated, to write under its key: an account's (online) or nobody's
    (paper), with the census digest its voter proved ("" without census)."""

    voter: User | None
    voter_key: str
    rows: Sequence[Row]
    source: str
    census: str = ""

    def ballot(self, budget: Budget) -> Ballot:
        return Ballot(
            budget=budget,
            voter=self.voter,
            voter_key=self.voter_key,
            source=self.source,
            census_digest=self.census,
        )


def insert_first_ballot(budget: Budget, written: BallotToWrite) -> Ballot | None:
    """The key's first ballot with its choices, in one statement (``INSERT … ON CONFLICT DO
    NOTHING RETURNING id`` feeding the choices' INSERT), if every project it names is the
    budget's (else ProjectsOutside, nothing written). None, and nothing written, if a
    unique constraint already holds a row for it (the key's ballot, the voter's, or the
    census entry's); when another transaction is writing such a row, PostgreSQL waits for
    it to end first. Every constraint is an arbiter: naming only (budget, voter_key) let a
    concurrent first ballot of the same voter fail on the (budget, voter) index instead. The
    caller then takes the replace path, where a census conflict surfaces as an
    IntegrityError, as a plain INSERT would."""
    ballot = written.ballot(budget)
    sql, fields = _first_ballot_sql()
    project_ids = [project_id for project_id, _rank, _points in written.rows]
    values = [budget.pk, project_ids]
    values += [field.get_db_prep_save(field.pre_save(ballot, True), connection) for field in fields]
    values += [
        len(project_ids),
        project_ids,
        [rank for _project_id, rank, _points in written.rows],
        [points for _project_id, _rank, points in written.rows],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        named, pk = cursor.fetchone()
    if named != len(project_ids):
        raise ProjectsOutside
    if pk is None:
        return None
    ballot.pk = pk
    ballot._state.adding = False
    ballot._state.db = connection.alias
    return ballot


def replace_ballot(budget: Budget, written: BallotToWrite) -> Ballot:
    """Write over the key's ballot (in the caller's transaction): the voter's profile row
    lock first (for an online ballot: changes of one voter's ballots are serialised on it),
    then the ballot's; a concurrent submission of the same key waits for this one's commit,
    then replaces it entirely."""
    if written.voter is not None:
        Profile.objects.select_for_update().filter(user=written.voter).values_list(
            "pk", flat=True
        ).first()
    ballot = (
        Ballot.objects.select_for_update()
        .filter(budget=budget, voter_key=written.voter_key)
        .first()
    )
    if ballot is None:  # deleted in between: a plain first ballot again
        ballot = written.ballot(budget)
        ballot.save()
    else:
        ballot.choices.all().delete()
        ballot.receipt = Ballot._meta.get_field("receipt").get_default()
        ballot.census_digest = written.census or ballot.census_digest
        ballot.save(update_fields=["receipt", "census_digest", "updated_at"])
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, project_id=project_id, rank=rank, points=points)
        for project_id, rank, points in written.rows
    )
    return ballot


def _hold_neighbourhood(voter: User, attempt: BallotAttempt) -> None:
    """In the caller's transaction: the voter's profile row lock, the permission asked again
    under it (it reads the neighbourhood the voter is held to in this campaign as their last
    ballot left it: one sent at the same time for another neighbourhood waits here, then is
    refused), and the voter held to this budget's neighbourhood from their first ballot on.
    The unique (campaign, voter) constraint keeps it one."""
    budget = attempt.budget
    Profile.objects.select_for_update().filter(user=voter).values_list("pk", flat=True).first()
    ensure_perm(voter, "budgets.vote_budget", attempt)
    held = NeighbourhoodVoter.objects.filter(component_id=budget.component_id, voter=voter)
    if not held.exists():
        NeighbourhoodVoter.objects.create(
            component_id=budget.component_id,
            voter=voter,
            neighbourhood_id=budget.neighbourhood_id,
        )


def _neighbourhood_ballot(voter: User, attempt: BallotAttempt, written: BallotToWrite) -> Ballot:
    """A ballot in a neighbourhood's budget, in one transaction under the voter's profile
    row lock (``_hold_neighbourhood``)."""
    budget = attempt.budget
    with transaction.atomic():
        _hold_neighbourhood(voter, attempt)
        return insert_first_ballot(budget, written) or replace_ballot(budget, written)


def _secret_ballot(voter: User, attempt: BallotAttempt, rows) -> str:
    """A ballot of a budget voted « secret »: into the engine's box (``budgets.secret``),
    final once cast; in a neighbourhood's budget, under the same hold as an open ballot."""
    if attempt.budget.neighbourhood_id is None:
        return secret.cast(voter, attempt.budget, rows)
    with transaction.atomic():
        _hold_neighbourhood(voter, attempt)
        return secret.cast(voter, attempt.budget, rows)


def _census_taken(exc: IntegrityError) -> bool:
    return "census" in str(exc.__cause__ or exc)


@dataclass(frozen=True)
class CastBallot:
    """What ``ballot_record`` wrote: the receipt and the ballot's rows as validated (in the
    order the ballot lists them: by rank for a ranked ballot, as chosen otherwise)."""

    receipt: str
    rows: list[Row]

    @property
    def choices(self) -> list[dict]:
        return [
            {"project": project_id, "rank": rank, "points": points}
            for project_id, rank, points in self.rows
        ]


def ballot_record(
    *,
    voter: User,
    budget: Budget,
    choices: Iterable[ChoiceInput],
    census: CensusIdentity | None = None,
) -> CastBallot:
    """Record (or replace) this voter's one ballot in the budget; return its receipt and
    its validated rows (so that an answer need not read the ballot back).

    A first ballot is one statement, a transaction of its own (no BEGIN / COMMIT round
    trips), the unique constraints arbitrating; a change is written in a transaction under
    the voter's profile row lock, then the ballot's, so two fast submissions (a double
    click) are serialised: the second replaces the first, never mixing with it. A ballot in
    a neighbourhood's budget is always written under that lock (``_neighbourhood_ballot``).
    The database constraints are the last safeguard: a violation means another submission
    of the same voter won the race, and this one is written over it (or, in another
    neighbourhood of the campaign, refused).
    """
    # Counted first: a voter hammering the vote is stopped before any query.
    rate_limit("vote", account=voter.pk)
    attempt = BallotAttempt(budget, census)
    ensure_perm(voter, "budgets.vote_budget", attempt)
    digest = census_digest(budget, census) if budget.census_required and census else ""
    pairs = _normalise_choices(choices)
    if budget.secret_ballot:
        rows = validate_choices(budget, pairs)
        return CastBallot(receipt=_secret_ballot(voter, attempt, rows), rows=rows)
    # Only a knapsack's rule needs the projects' costs; otherwise the INSERT checks that the
    # projects named are the budget's (no query of its own).
    if budget.ballot_rule == Budget.BallotRule.KNAPSACK:
        rows = validate_choices(budget, pairs)
    else:
        rows = _rules_checked(budget, pairs)
    written = BallotToWrite(voter, f"user:{voter.pk}", rows, Ballot.Source.ONLINE, digest)
    try:
        return CastBallot(receipt=_write(voter, attempt, written), rows=rows)
    except ProjectsOutside:
        validate_choices(budget, pairs)  # the refusal naming the project
        raise


def _write(voter: User, attempt: BallotAttempt, written: BallotToWrite) -> str:
    """``ballot_record``'s writing of an open ballot; its receipt."""
    budget = attempt.budget
    for try_number in (1, 2):
        try:
            if budget.neighbourhood_id is not None:
                ballot = _neighbourhood_ballot(voter, attempt, written)
            else:
                ballot = insert_first_ballot(budget, written)
                if ballot is None:
                    with transaction.atomic():
                        ballot = replace_ballot(budget, written)
            return ballot.receipt
        except IntegrityError as exc:
            if _census_taken(exc):
                raise Conflict(
                    _("Une autre personne a déjà voté avec ces nom, prénom et date de naissance.")
                ) from exc
            if try_number == 2:
                raise Conflict(_("Votre bulletin n'a pas pu être enregistré, réessayez.")) from exc
    raise AssertionError("unreachable")


def ballot_cast(
    *,
    voter: User,
    budget: Budget,
    choices: Iterable[ChoiceInput],
    census: CensusIdentity | None = None,
) -> str:
    """``ballot_record``, returning the receipt only."""
    return ballot_record(voter=voter, budget=budget, choices=choices, census=census).receipt


def ballot_of(voter: User, budget: Budget) -> Ballot | None:
    """The voter's ballot, to show and change; None for a secret one (nothing links it)."""
    if not voter.is_authenticated or budget.secret_ballot:
        return None
    return (
        Ballot.objects.filter(budget=budget, voter=voter)
        .prefetch_related("choices__project")
        .first()
    )
