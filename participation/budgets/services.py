"""Budgets and projects (staff), ballots (residents, paper), census, results' publication."""

from __future__ import annotations

import csv
import datetime
import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid, NotAllowed
from core.formats import euros
from core.positions import next_position
from core.text import clean_text
from participation.hooks import results_published
from participation.images import clean_alt, image_store
from participation.models import Component, Neighbourhood, Profile
from participation.services import ensure_perm

from .census import CensusIdentity, census_digest, census_listed, normalise_name
from .models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Ballot,
    BallotChoice,
    Budget,
    CensusEntry,
    NeighbourhoodVoter,
    PaperBallot,
    Project,
    ResultOverride,
)
from .rules import BallotAttempt, vote_started

# Staff: budgets and projects


def budget_create(
    *,
    actor: User,
    component: Component,
    title: str,
    amount: int,
    description: str = "",
    neighbourhood: Neighbourhood | None = None,
    ballot_rule: str = Budget.BallotRule.APPROVAL,
    min_projects: int = 1,
    max_projects: int | None = None,
    min_spend_percent: int = 0,
    max_points_per_project: int | None = None,
    max_points: int | None = None,
    result_rule: str = Budget.ResultRule.GREEDY,
    min_age: int | None = None,
    census_required: bool = False,
) -> Budget:
    ensure_perm(actor, "budgets.change_budget", component)
    if component.type_key != "budgets":
        raise Invalid(_("Ce composant n'est pas un module de budget participatif."))
    title = clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    if amount is None or amount <= 0:
        raise Invalid(_("L'enveloppe doit être un montant positif en euros."))
    if ballot_rule not in Budget.BallotRule.values:
        raise Invalid(_("Type de bulletin inconnu : « %(v)s ».") % {"v": ballot_rule})
    if result_rule not in Budget.ResultRule.values:
        raise Invalid(_("Règle de sélection inconnue : « %(v)s ».") % {"v": result_rule})
    if max_projects is not None and max_projects < min_projects:
        raise Invalid(
            _("Le nombre maximum de projets (%(max)d) est inférieur au minimum (%(min)d).")
            % {"max": max_projects, "min": min_projects}
        )
    if not 0 <= min_spend_percent <= 100:
        raise Invalid(_("La part minimum de l'enveloppe va de 0 à 100 %."))
    if ballot_rule == Budget.BallotRule.CUMULATIVE and not (max_points_per_project and max_points):
        raise Invalid(_("Un vote par points précise les points par projet et le total de points."))
    with transaction.atomic():
        position = next_position(parent=component, items=Budget.objects.filter(component=component))
        return Budget.objects.create(
            component=component,
            title=title,
            description=clean_text(
                description,
                label=_("Présentation"),
                max_length=DESCRIPTION_MAX_LENGTH,
                required=False,
            ),
            amount=amount,
            neighbourhood=neighbourhood,
            ballot_rule=ballot_rule,
            min_projects=min_projects,
            max_projects=max_projects,
            min_spend_percent=min_spend_percent,
            max_points_per_project=max_points_per_project,
            max_points=max_points,
            result_rule=result_rule,
            min_age=min_age,
            census_required=census_required,
            position=position,
        )


def project_add(
    *,
    actor: User,
    budget: Budget,
    title: str,
    cost: int,
    description: str = "",
    external_id: str = "",
    proposal_id: int | None = None,
    image=None,
    image_alt: str = "",
) -> Project:
    """A project of a budget, before its vote starts; with a picture if given (described by
    ``image_alt``, both through ``participation.images``)."""
    ensure_perm(actor, "budgets.change_budget", budget)
    title = clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    if cost is None or cost < 0:
        raise Invalid(_("Le coût d'un projet est un montant positif en euros."))
    if vote_started(budget.component):
        raise NotAllowed(_("Le vote a commencé : la liste des projets ne change plus."))
    if image:
        clean_alt(image_alt)  # before the picture is decoded
    try:
        with transaction.atomic():
            position = next_position(parent=budget, items=budget.projects.all())
            return Project.objects.create(
                budget=budget,
                title=title,
                description=clean_text(
                    description,
                    label=_("Description"),
                    max_length=DESCRIPTION_MAX_LENGTH,
                    required=False,
                ),
                cost=cost,
                external_id=(external_id or "").strip(),
                proposal_id=proposal_id,
                position=position,
                image=image_store(upload=image, alt=image_alt) if image else None,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Un projet porte déjà l'identifiant « %(id)s ».") % {"id": external_id}
        ) from exc


def budget_set_result_rule(*, actor: User, budget: Budget, result_rule: str) -> Budget:
    """The selection rule is chosen before the vote: once it opened, it no longer changes."""
    ensure_perm(actor, "budgets.change_budget", budget)
    if result_rule not in Budget.ResultRule.values:
        raise Invalid(_("Règle de sélection inconnue : « %(v)s ».") % {"v": result_rule})
    if result_rule != budget.result_rule and vote_started(budget.component):
        raise NotAllowed(
            _("Le vote a commencé : la règle de sélection annoncée ne peut plus changer.")
        )
    budget.result_rule = result_rule
    budget.save(update_fields=["result_rule", "updated_at"])
    return budget


# Ballots


# A choice: a project id (approval, knapsack; ranked in this order), or (project id, value):
# the rank (ranked) or the points (cumulative).
ChoiceInput = int | tuple[int, int | None]


def _normalise_choices(choices: Iterable[ChoiceInput]) -> list[tuple[int, int | None]]:
    pairs: list[tuple[int, int | None]] = []
    for item in choices:
        if isinstance(item, tuple | list):
            project_id, value = item
        else:
            project_id, value = item, None
        try:
            pairs.append((int(project_id), None if value in (None, "") else int(value)))
        except (TypeError, ValueError) as exc:
            raise Invalid(_("Ce bulletin contient une valeur illisible.")) from exc
    return pairs


def validate_choices(
    budget: Budget, choices: Iterable[ChoiceInput], projects: dict[int, Project] | None = None
) -> list[tuple[Project, int | None, int | None]]:
    """The ballot as (project, rank, points) rows, or Invalid naming the problem."""
    if projects is None:
        projects = {project.pk: project for project in budget.projects.all()}
    pairs = _normalise_choices(choices)
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
    rows: list[tuple[Project, int | None, int | None]]
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
        rows = [(projects[pid], rank, None) for pid, rank in sorted(pairs, key=lambda p: p[1])]
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
        rows = [(projects[pid], None, points) for pid, points in pairs]
    else:
        rows = [(projects[pid], None, None) for pid, _value in pairs]
    if rule == Budget.BallotRule.KNAPSACK:
        spent = sum(project.cost for project, _r, _p in rows)
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


@functools.cache
def _first_ballot_sql() -> tuple[str, list]:
    """The statement of ``_insert_first_ballot`` and the ballot fields it writes (quoted
    names from the models' metadata only: the values are parameters). The choices are
    inserted from the ballot's RETURNING, in the order given (their ids keep it, as
    ``ballot_of`` reads an unranked ballot by id), none when the ballot was not inserted."""
    quote = connection.ops.quote_name
    ballot, choice = Ballot._meta, BallotChoice._meta
    fields = [field for field in ballot.concrete_fields if not field.primary_key]
    choice_columns = ", ".join(
        quote(choice.get_field(name).column) for name in ("ballot", "project", "rank", "points")
    )
    pk = quote(ballot.pk.column)
    sql = (
        f"WITH ballot AS (INSERT INTO {quote(ballot.db_table)} "  # noqa: S608
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING RETURNING {pk}), "
        f"choices AS (INSERT INTO {quote(choice.db_table)} ({choice_columns}) "
        f"SELECT ballot.{pk}, given.project, given.rank, given.points FROM ballot, "
        "unnest(%s::bigint[], %s::integer[], %s::integer[]) WITH ORDINALITY "
        "AS given(project, rank, points, position) ORDER BY given.position) "
        f"SELECT {pk} FROM ballot"
    )
    return sql, fields


@dataclass(frozen=True)
class _BallotToWrite:
    """A ballot as validated, to write under its key: an account's (online) or nobody's
    (paper), with the census digest its voter proved ("" without census)."""

    voter: User | None
    voter_key: str
    rows: Sequence[tuple[Project, int | None, int | None]]
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


def _insert_first_ballot(budget: Budget, written: _BallotToWrite) -> Ballot | None:
    """The key's first ballot with its choices, in one statement (``INSERT … ON CONFLICT DO
    NOTHING RETURNING id`` feeding the choices' INSERT). None, and nothing written, if a
    unique constraint already holds a row for it (the key's ballot, the voter's, or the
    census entry's); when another transaction is writing such a row, PostgreSQL waits for
    it to end first. Every constraint is an arbiter: naming only (budget, voter_key) let a
    concurrent first ballot of the same voter fail on the (budget, voter) index instead. The
    caller then takes the replace path, where a census conflict surfaces as an
    IntegrityError, as a plain INSERT would."""
    ballot = written.ballot(budget)
    sql, fields = _first_ballot_sql()
    values = [field.get_db_prep_save(field.pre_save(ballot, True), connection) for field in fields]
    values += [
        [project.pk for project, _rank, _points in written.rows],
        [rank for _project, rank, _points in written.rows],
        [points for _project, _rank, points in written.rows],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return None
    ballot.pk = row[0]
    ballot._state.adding = False
    ballot._state.db = connection.alias
    return ballot


def _replace_ballot(budget: Budget, written: _BallotToWrite) -> Ballot:
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
        BallotChoice(ballot=ballot, project=project, rank=rank, points=points)
        for project, rank, points in written.rows
    )
    return ballot


def _neighbourhood_ballot(voter: User, attempt: BallotAttempt, written: _BallotToWrite) -> Ballot:
    """A ballot in a neighbourhood's budget, in one transaction under the voter's profile
    row lock: the permission, asked again under it, reads the neighbourhood the voter is
    held to in this campaign as the voter's last ballot left it (one sent at the same time
    for another neighbourhood waits here, then is refused), and the first ballot holds the
    voter to this neighbourhood. The unique (campaign, voter) constraint keeps it one."""
    budget = attempt.budget
    with transaction.atomic():
        Profile.objects.select_for_update().filter(user=voter).values_list("pk", flat=True).first()
        ensure_perm(voter, "budgets.vote_budget", attempt)
        held = NeighbourhoodVoter.objects.filter(component_id=budget.component_id, voter=voter)
        if not held.exists():
            NeighbourhoodVoter.objects.create(
                component_id=budget.component_id,
                voter=voter,
                neighbourhood_id=budget.neighbourhood_id,
            )
        return _insert_first_ballot(budget, written) or _replace_ballot(budget, written)


def _census_taken(exc: IntegrityError) -> bool:
    return "census" in str(exc.__cause__ or exc)


@dataclass(frozen=True)
class CastBallot:
    """What ``ballot_record`` wrote: the receipt and the ballot's rows as validated (in the
    order the ballot lists them: by rank for a ranked ballot, as chosen otherwise)."""

    receipt: str
    rows: list[tuple[Project, int | None, int | None]]

    @property
    def choices(self) -> list[dict]:
        return [
            {"project": project.pk, "rank": rank, "points": points}
            for project, rank, points in self.rows
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
    attempt = BallotAttempt(budget, census)
    ensure_perm(voter, "budgets.vote_budget", attempt)
    digest = census_digest(budget, census) if budget.census_required and census else ""
    rows = validate_choices(budget, list(choices))
    written = _BallotToWrite(voter, f"user:{voter.pk}", rows, Ballot.Source.ONLINE, digest)
    for try_number in (1, 2):
        try:
            if budget.neighbourhood_id is not None:
                ballot = _neighbourhood_ballot(voter, attempt, written)
            else:
                ballot = _insert_first_ballot(budget, written)
                if ballot is None:
                    with transaction.atomic():
                        ballot = _replace_ballot(budget, written)
            return CastBallot(receipt=ballot.receipt, rows=rows)
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
    if not voter.is_authenticated:
        return None
    return (
        Ballot.objects.filter(budget=budget, voter=voter)
        .prefetch_related("choices__project")
        .first()
    )


# Paper ballots


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
            [project.pk, rank if rank is not None else points] for project, rank, points in rows
        ],
    )


def paper_ballot_confirm(*, agent: User, paper: PaperBallot) -> Ballot:
    """A second agent confirms the typed ballot: it becomes a counted ballot."""
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
        written = _BallotToWrite(None, f"paper:{paper.pk}", rows, Ballot.Source.PAPER)
        paper.ballot = _insert_first_ballot(paper.budget, written) or _replace_ballot(
            paper.budget, written
        )
        paper.confirmed_by = agent
        paper.confirmed_at = timezone.now()
        paper.save(update_fields=["ballot", "confirmed_by", "confirmed_at"])
    return paper.ballot


# Census


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def census_upload(*, actor: User, budget: Budget, text: str) -> int:
    """Replace the budget's list of voters with this CSV (last name; first name; birth date,
    one person a line, an optional header). Only salted digests are stored. Returns the
    number of people on the list."""
    ensure_perm(actor, "budgets.change_budget", budget)
    dialect = csv.excel
    sample = text[:2000]
    if ";" in sample:
        dialect = type("Semicolon", (csv.excel,), {"delimiter": ";"})
    digests: set[str] = set()
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and normalise_name(cells[0]) in {"nom", "last name", "nom de famille"}:
            continue
        if len(cells) < 3 or not cells[0] or not cells[1]:
            raise Invalid(
                _("Ligne %(line)d : attendu nom ; prénom ; date de naissance.") % {"line": number}
            )
        birth = _parse_date(cells[2])
        if birth is None:
            raise Invalid(
                _("Ligne %(line)d : date de naissance illisible « %(value)s ».")
                % {"line": number, "value": cells[2]}
            )
        digests.add(census_digest(budget, CensusIdentity(cells[0], cells[1], birth)))
    if not digests:
        raise Invalid(_("La liste est vide."))
    with transaction.atomic():
        Budget.objects.select_for_update().get(pk=budget.pk)
        CensusEntry.objects.filter(budget=budget).delete()
        CensusEntry.objects.bulk_create(CensusEntry(budget=budget, digest=d) for d in digests)
    return len(digests)


def census_check(*, budget: Budget, identity: CensusIdentity) -> bool:
    return census_listed(budget, identity)


# Results


def result_override(
    *, actor: User, budget: Budget, project: Project, selected: bool, reason: str
) -> ResultOverride:
    ensure_perm(actor, "budgets.override_results", budget)
    if project.budget_id != budget.pk:
        raise Invalid(_("Ce projet ne fait pas partie de ce budget."))
    if budget.is_published:
        raise Conflict(_("Les résultats sont publiés : ils ne changent plus."))
    reason = clean_text(reason, label=_("Motif"), max_length=2000)
    override, _created = ResultOverride.objects.update_or_create(
        budget=budget,
        project=project,
        defaults={"selected": selected, "reason": reason, "by": actor},
    )
    return override


def results_publish(*, actor: User, budget: Budget) -> Budget:
    """Publish the results once the vote is over; the selection is frozen as published."""
    from .selectors import results

    ensure_perm(actor, "budgets.publish_results", budget)
    with transaction.atomic():
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        if locked.is_published:
            raise Conflict(_("Les résultats de ce budget sont déjà publiés."))
        selected_ids = results(budget).selected_ids
        budget.results_published_at = timezone.now()
        budget.published_selection = selected_ids
        budget.save(update_fields=["results_published_at", "published_selection", "updated_at"])
        transaction.on_commit(lambda: on_results_published(budget, selected_ids))
    return budget


def on_results_published(budget: Budget, selected_ids: list[int]) -> None:
    """Tell the modules following the winners (the ideas module's proposals, through
    ``Project.proposal_id``): the engine's ``results_published`` signal."""
    results_published.send(sender=Budget, budget=budget, selected_ids=selected_ids)
