"""The secret of the ballot at the storage level: every column of the tables that hold
ballots and the tables that say who voted is read, and none links one to the other. A
column added to either table makes this test fail until it is examined here."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import Conflict
from participation.elections import services
from participation.elections.models import Candidate, Elector, box_name
from participation.models import PendingSecretBallot, SecretBallot, SecretBallotVoter
from tests.participation.elections.conftest import vote

# Every column, as PostgreSQL has it, of the tables of what was voted and of who voted.
BALLOT_COLUMNS = {"id", "box", "choices", "receipt", "channel", "cast_on"}
VOTER_COLUMNS = {"id", "box", "voter_key", "channel"}


def columns(model) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s",
            [model._meta.db_table],
        )
        return dict(cursor.fetchall())


def foreign_keys(model) -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = %s::regclass",
            [model._meta.db_table],
        )
        return cursor.fetchall()


def test_the_tables_hold_only_the_known_columns(in_town_a):
    assert set(columns(SecretBallot)) == BALLOT_COLUMNS
    assert set(columns(PendingSecretBallot)) == BALLOT_COLUMNS
    assert set(columns(SecretBallotVoter)) == VOTER_COLUMNS
    for model in (SecretBallot, PendingSecretBallot, SecretBallotVoter):
        assert foreign_keys(model) == [], model
        # Random ids: no sequence that would number ballots and electors in their order.
        assert columns(model)["id"] == "uuid"
    # The day only, never a time of day.
    assert columns(SecretBallot)["cast_on"] == "date"


def test_no_value_of_a_ballot_leads_to_its_elector(component, vote_phase, candidates, elector):
    voters = [elector() for _ in range(5)]
    receipts = [vote(user, component, candidates[n % 4]) for n, user in enumerate(voters)]
    box = box_name(component)
    ballot_rows = list(SecretBallot.objects.filter(box=box).values(*BALLOT_COLUMNS)) + list(
        PendingSecretBallot.objects.filter(box=box).values(*BALLOT_COLUMNS)
    )
    voter_rows = list(SecretBallotVoter.objects.filter(box=box).values(*VOTER_COLUMNS))
    assert len(ballot_rows) == len(voter_rows) == 5
    # What identifies an elector anywhere: their account, their roll line, their marker.
    electors = Elector.objects.filter(user__in=voters)
    identifying = {str(value) for user in voters for value in (user.pk, user.email)}
    identifying |= {str(e.pk) for e in electors} | {e.voter_key for e in electors}
    identifying |= {str(row["id"]) for row in voter_rows}
    for row in ballot_rows:
        assert {key for key, value in row.items() if str(value) in identifying} == set(), row
        # Nothing finer than the day, and nothing of a voter's row either.
        assert isinstance(row["cast_on"], datetime.date)
        assert not isinstance(row["cast_on"], datetime.datetime)
        assert row["receipt"] in receipts
        assert isinstance(row["id"], uuid.UUID) and row["id"].version == 4
    ballot_values = {str(value) for row in ballot_rows for key, value in row.items()}
    for row in voter_rows:
        shared = {key for key, value in row.items() if str(value) in ballot_values}
        # Only the box's name (and the channel, online for all) are in common.
        assert shared <= {"box", "channel"}, row
    # No page of the roll says more than "has voted".
    assert not hasattr(Elector, "ballot")
    assert not any(
        f.related_model in (SecretBallot, PendingSecretBallot) for f in Elector._meta.get_fields()
    )
    assert not any(
        f.related_model in (SecretBallot, PendingSecretBallot) for f in Candidate._meta.get_fields()
    )


def test_two_ballots_of_one_elector_at_the_same_moment_keep_one(django_db_setup, committed_db):
    """Two requests of the same elector, released together: exactly one ballot and one
    marker; the other is refused and leaves nothing."""
    from django.utils import timezone

    from participation.elections.models import Election
    from participation.models import Phase, Space
    from tenants.models import Tenant
    from tests.conftest import TOWN_A
    from tests.participation.factories import (
        ComponentFactory,
        NeighbourhoodFactory,
        ParticipantFactory,
        SpaceFactory,
    )

    town_a = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town_a):
        place = NeighbourhoodFactory()
        space = SpaceFactory(kind=Space.Kind.NEIGHBOURHOOD_COUNCIL, neighbourhood=place)
        component = ComponentFactory(space=space, type_key="elections")
        Election.objects.create(component=component, seats=1)
        Phase.objects.create(
            component=component,
            kind="vote",
            starts_at=timezone.now() - datetime.timedelta(days=1),
            ends_at=timezone.now() + datetime.timedelta(days=1),
        )
        voter = ParticipantFactory()
        voter.profile.neighbourhood = place
        voter.profile.save()
        Elector.objects.create(component=component, user=voter, source=Elector.Source.RESIDENT)
        standing = [
            Candidate.objects.create(
                component=component, name=name, gender="f", statement=".", status="validated"
            ).pk
            for name in ("A", "B")
        ]
    barrier = threading.Barrier(2)
    receipts: list[str] = []
    refusals: list[str] = []

    def submit(n: int) -> None:
        try:
            with tenant_context(town_a):
                user = User.objects.select_related("profile").get(pk=voter.pk)
                barrier.wait(timeout=10)
                receipts.append(
                    services.ballot_cast(
                        voter=user, component=component, candidate_ids=[standing[n]]
                    )
                )
        except Conflict as exc:
            refusals.append(str(exc))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=submit, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(receipts) == 1 and len(refusals) == 1, (receipts, refusals)
        with tenant_context(town_a):
            box = box_name(component)
            assert SecretBallotVoter.objects.filter(box=box).count() == 1
            held = list(PendingSecretBallot.objects.filter(box=box)) + list(
                SecretBallot.objects.filter(box=box)
            )
            assert [ballot.receipt for ballot in held] == receipts
    finally:
        with tenant_context(town_a):
            box = box_name(component)
            for model in (SecretBallot, PendingSecretBallot, SecretBallotVoter):
                model.objects.filter(box=box).delete()
            space.delete()
            place.delete()
            User.objects.filter(pk=voter.pk).delete()


@pytest.mark.parametrize("model", [SecretBallot, PendingSecretBallot])
def test_a_ballot_row_has_no_time_of_day(model, in_town_a):
    assert model._meta.get_field("cast_on").get_internal_type() == "DateField"
