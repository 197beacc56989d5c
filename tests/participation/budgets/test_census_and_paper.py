"""The census list (salted digests only), one ballot per voter kept by the database, and
paper ballots typed twice (double entry)."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction

from core.errors import ApplicationError, NotAllowed
from participation.budgets import selectors, services
from participation.budgets.census import CensusIdentity
from participation.budgets.models import (
    Ballot,
    CensusEntry,
    PaperBallot,
    Project,
)
from participation.budgets.services import ballots
from tests.participation.budgets.conftest import cast, ids
from tests.participation.factories import (
    ModeratorFactory,
    ParticipantFactory,
)

# Census


CENSUS_CSV = (
    "nom;prénom;date de naissance\n"
    "Dupont;Jean-Marc;1980-04-02\n"
    "N'Diaye;Aïssatou;12/11/1995\n"
    "\n"
    "Dupont;Jean-Marc;02/04/1980\n"  # the same person twice: stored once
)


def identity(last, first, birth):
    return CensusIdentity(last, first, datetime.date.fromisoformat(birth))


def test_census_upload_stores_salted_digests_only(make_budget, staff):
    budget = make_budget(census_required=True)
    other = make_budget(title="Autre", census_required=True)
    assert services.census_upload(actor=staff, budget=budget, text=CENSUS_CSV) == 2
    services.census_upload(actor=staff, budget=other, text=CENSUS_CSV)
    digests = set(CensusEntry.objects.filter(budget=budget).values_list("digest", flat=True))
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in digests)
    assert not digests & set(
        CensusEntry.objects.filter(budget=other).values_list("digest", flat=True)
    )
    assert not any("dupont" in d.lower() for d in digests)
    # Case, accents, hyphens and spaces do not matter.
    assert services.census_check(
        budget=budget, identity=identity(" DUPONT ", "jean marc", "1980-04-02")
    )
    assert (
        services.census_check(budget=budget, identity=identity("ndiaye", "Aissatou", "1995-11-12"))
        is False
    )
    assert services.census_check(
        budget=budget, identity=identity("n diaye", "aissatou", "1995-11-12")
    )
    assert not services.census_check(
        budget=budget, identity=identity("Dupont", "Jean", "1980-04-02")
    )
    # A new upload replaces the list.
    services.census_upload(actor=staff, budget=budget, text="Martin;Léa;2001-01-01\n")
    assert CensusEntry.objects.filter(budget=budget).count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Dupont;Jean;31/02/1980\n", "Ligne 1 : date de naissance illisible « 31/02/1980 »."),
        ("Dupont;Jean;1980-01-01\nMartin;Léa\n", "Ligne 2 : attendu nom ; prénom"),
        ("\n\n", "La liste est vide."),
    ],
)
def test_census_upload_refuses(make_budget, staff, text, message):
    budget = make_budget(census_required=True)
    with pytest.raises(ApplicationError, match=re.escape(message)):
        services.census_upload(actor=staff, budget=budget, text=text)
    assert not CensusEntry.objects.exists()


def test_a_census_budget_needs_a_listed_identity(make_budget, vote_phase, staff):
    budget = make_budget(census_required=True)
    services.census_upload(actor=staff, budget=budget, text=CENSUS_CSV)
    with pytest.raises(NotAllowed, match="indiquez vos nom, prénom et date de naissance"):
        cast(budget, ids(budget)[:1])
    with pytest.raises(NotAllowed, match="ne figurent pas sur la liste des votants"):
        cast(budget, ids(budget)[:1], census=identity("Durand", "Paul", "1970-01-01"))
    jean = ParticipantFactory()
    cast(budget, ids(budget)[:1], jean, census=identity("Dupont", "Jean-Marc", "1980-04-02"))
    cast(budget, ids(budget)[1:2], jean, census=identity("Dupont", "Jean-Marc", "1980-04-02"))
    # The same person with a second account: refused.
    with pytest.raises(ApplicationError, match="Une autre personne a déjà voté avec ces nom"):
        cast(budget, ids(budget)[:1], census=identity("DUPONT", "Jean Marc", "1980-04-02"))
    assert Ballot.objects.filter(budget=budget).count() == 1


# One ballot per voter


def test_the_database_keeps_one_ballot_per_voter(budget):
    voter = ParticipantFactory()
    Ballot.objects.create(budget=budget, voter=voter, voter_key="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(budget=budget, voter=voter, voter_key="b")
    Ballot.objects.create(budget=budget, voter=None, voter_key="pb:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(budget=budget, voter=None, voter_key="pb:1")


def test_a_constraint_violation_ends_with_one_clean_ballot(budget, monkeypatch):
    """If the locked lookup ever missed the existing ballot, the constraint refuses the second
    row and the submission is written over the first one."""
    voter = ParticipantFactory()
    cast(budget, ids(budget)[:1], voter)
    original = ballots.replace_ballot
    calls = []

    def racing(budget, written):
        calls.append(1)
        if len(calls) == 1:  # as if another request had not committed yet
            Ballot.objects.create(budget=budget, voter=written.voter, voter_key="other")
        return original(budget, written)

    monkeypatch.setattr(ballots, "replace_ballot", racing)
    receipt = cast(budget, ids(budget)[1:3], voter)
    ballot = Ballot.objects.get(budget=budget)
    assert ballot.receipt == receipt
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == ids(budget)[1:3]
    assert len(calls) == 2


# Paper ballots


def test_paper_ballots_count_once_both_entries_match(budget):
    first, second = ModeratorFactory(), ModeratorFactory()
    paper = services.paper_ballot_enter(
        agent=first, budget=budget, polling_station="Mairie annexe", choices=ids(budget)[:2]
    )
    assert selectors.results(budget).ballots == 0
    with pytest.raises(NotAllowed, match="par un autre agent"):
        services.paper_ballot_retype(agent=first, paper=paper, choices=ids(budget)[:2])
    assert selectors.results(budget).ballots == 0
    # The same choices, typed in another order.
    paper = services.paper_ballot_retype(
        agent=second, paper=paper, choices=list(reversed(ids(budget)[:2]))
    )
    ballot = paper.ballot
    assert (ballot.source, ballot.voter, ballot.voter_key) == ("paper", None, f"paper:{paper.pk}")
    paper.refresh_from_db()
    assert (paper.status, paper.confirmed_by, paper.ballot) == ("counted", second, ballot)
    assert selectors.results(budget).ballots == 1
    with pytest.raises(ApplicationError, match="déjà compté"):
        services.paper_ballot_retype(agent=ModeratorFactory(), paper=paper, choices=ids(budget)[:2])
    assert selectors.results(budget).ballots == 1


def test_a_mismatch_counts_nothing_until_an_admin_resolves_it(budget, staff):
    first, second = ModeratorFactory(), ModeratorFactory()
    projects = ids(budget)
    paper = services.paper_ballot_enter(
        agent=first, budget=budget, polling_station="École", choices=projects[:2]
    )
    paper = services.paper_ballot_retype(agent=second, paper=paper, choices=projects[1:3])
    assert paper.status == "mismatch" and paper.ballot is None
    assert selectors.results(budget).ballots == 0
    (mismatch,) = selectors.paper_ballots_mismatched(budget)
    differing = {row.project: (row.first, row.second) for row in mismatch.rows if row.differs}
    titles = dict(Project.objects.filter(budget=budget).values_list("pk", "title"))
    assert differing == {titles[projects[0]]: (True, None), titles[projects[2]]: (None, True)}
    # A third agent cannot type it again, nor an agent resolve it.
    with pytest.raises(ApplicationError, match="déjà été saisi deux fois"):
        services.paper_ballot_retype(agent=ModeratorFactory(), paper=paper, choices=projects[:2])
    with pytest.raises(NotAllowed):
        services.paper_ballot_resolve(actor=second, paper=paper, choices=projects[:2])
    assert selectors.results(budget).ballots == 0
    # The administrator's ballot counts, once.
    paper = services.paper_ballot_resolve(actor=staff, paper=paper, choices=projects[1:2])
    assert (paper.status, paper.resolved_by, paper.resolved_choices) == (
        "counted",
        staff,
        [[projects[1], None]],
    )
    assert selectors.results(budget).ballots == 1
    assert list(paper.ballot.choices.values_list("project_id", flat=True)) == projects[1:2]
    with pytest.raises(ApplicationError, match="déjà compté"):
        services.paper_ballot_resolve(actor=staff, paper=paper, choices=projects[:1])
    assert selectors.results(budget).ballots == 1
    assert not selectors.paper_ballots_mismatched(budget)


def test_the_database_keeps_the_double_entry_states(budget):
    agent, other = ModeratorFactory(), ModeratorFactory()
    base = {"budget": budget, "polling_station": "A", "entered_by": agent}
    for bad in (
        {"status": "counted"},  # counted without its time
        {"status": "mismatch"},  # a mismatch without a second entry
        {"second_choices": [], "confirmed_by": other},  # typed twice, still "typed"
        {"status": "mismatch", "second_choices": [], "resolved_choices": []},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            PaperBallot.objects.create(**base, **bad)
    assert not PaperBallot.objects.exists()


def test_paper_ballots_are_checked_and_for_town_staff_only(budget, component):
    with pytest.raises(ApplicationError, match="3 projets au plus"):
        services.paper_ballot_enter(
            agent=ModeratorFactory(), budget=budget, polling_station="A", choices=ids(budget)[:4]
        )
    space_moderator = ParticipantFactory()
    component.space.moderators.add(space_moderator)
    with pytest.raises(NotAllowed):
        services.paper_ballot_enter(
            agent=space_moderator, budget=budget, polling_station="A", choices=ids(budget)[:1]
        )
    assert not PaperBallot.objects.exists()


def test_the_database_refuses_a_self_confirmed_paper_ballot(budget):
    agent = ModeratorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBallot.objects.create(
            budget=budget, polling_station="A", entered_by=agent, confirmed_by=agent
        )
