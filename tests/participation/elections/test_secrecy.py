"""The secret of the ballot at the storage level: every column of the tables that hold
ballots and the tables that say who voted is read, system columns (xmin, ctid) included, and
none links one to the other, while the vote is open or after the close. A column added to
either table makes this test fail until it is examined here."""

import datetime
import json
import threading
import time
import uuid

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import Conflict, NotAllowed
from participation import secret_ballots, tasks
from participation.elections import services
from participation.elections.models import Candidate, Elector, box_name
from participation.models import (
    PendingSecretBallot,
    SecretBallot,
    SecretBallotSeal,
    SecretBallotVoter,
)
from tests.participation.elections.conftest import vote

# Every column, as PostgreSQL has it, of the tables of what was voted and of who voted.
BALLOT_COLUMNS = {"id", "box", "choices", "receipt", "channel"}
PENDING_COLUMNS = {"id", "box", "sealed"}
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


def system_rows(model, box: str) -> list[dict]:
    """Every row of the box with its transaction id (xmin) and physical place (ctid)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT xmin::text, ctid::text, * FROM {table} WHERE box = %s",
            [box],
        )
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_tables_hold_only_the_known_columns(in_town_a):
    assert set(columns(SecretBallot)) == BALLOT_COLUMNS
    assert set(columns(PendingSecretBallot)) == PENDING_COLUMNS
    assert set(columns(SecretBallotVoter)) == VOTER_COLUMNS
    assert set(columns(SecretBallotSeal)) == {"box"}
    for model in (SecretBallot, PendingSecretBallot, SecretBallotVoter):
        assert foreign_keys(model) == [], model
        # Random ids: no sequence that would number ballots and electors in their order.
        assert columns(model)["id"] == "uuid"
    # The pool holds ciphertext only.
    assert columns(PendingSecretBallot)["sealed"] == "bytea"


def close(component, vote_phase) -> int:
    """The beat task, run just after the close."""
    with time_machine.travel(vote_phase.ends_at + datetime.timedelta(seconds=30)):
        return tasks.secret_boxes_close.delay().get()


def test_no_value_of_a_ballot_leads_to_its_elector(component, vote_phase, candidates, elector):
    voters = [elector() for _ in range(5)]
    receipts = [vote(user, component, candidates[n % 4]) for n, user in enumerate(voters)]
    box = box_name(component)
    assert close(component, vote_phase) == 5
    ballot_rows = list(SecretBallot.objects.filter(box=box).values(*BALLOT_COLUMNS))
    voter_rows = list(SecretBallotVoter.objects.filter(box=box).values(*VOTER_COLUMNS))
    assert len(ballot_rows) == len(voter_rows) == 5
    assert not PendingSecretBallot.objects.filter(box=box).exists()
    # What identifies an elector anywhere: their account, their roll line, their marker.
    electors = Elector.objects.filter(user__in=voters)
    identifying = {str(value) for user in voters for value in (user.pk, user.email)}
    identifying |= {str(e.pk) for e in electors} | {e.voter_key for e in electors}
    identifying |= {str(row["id"]) for row in voter_rows}
    for row in ballot_rows:
        assert {key for key, value in row.items() if str(value) in identifying} == set(), row
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


def test_while_the_vote_is_open_the_pool_shows_nothing_of_a_ballot(
    component, vote_phase, candidates, elector
):
    """A pending ballot shares its transaction id with its elector's marker (one statement
    writes both), but whoever reads the tables sees ciphertext only: no receipt, no choice,
    no length that differs with the number of names."""
    box = box_name(component)
    receipts = [vote(elector(), component, *candidates[: 1 + n % 2]) for n in range(4)]
    marks = system_rows(SecretBallotVoter, box)
    pending = system_rows(PendingSecretBallot, box)
    assert {row["xmin"] for row in pending} == {row["xmin"] for row in marks}
    assert system_rows(SecretBallot, box) == []  # nothing readable before the close
    assert len({len(bytes(row["sealed"])) for row in pending}) == 1
    for row in pending:
        sealed = bytes(row["sealed"])
        for receipt in receipts:
            assert receipt.encode() not in sealed
        for candidate in candidates:
            assert json.dumps([candidate.pk]).encode() not in sealed
    # The results, read before the beat's round, already count them (decrypted in memory).
    assert sorted(secret_ballots.box_receipts(box=box)) == sorted(receipts)


def test_after_the_close_no_ballot_shares_its_transaction_nor_its_place_with_a_marker(
    component, vote_phase, candidates, elector
):
    box = box_name(component)
    receipts = [vote(elector(), component, candidates[n % 4]) for n in range(12)]
    close(component, vote_phase)
    marks = system_rows(SecretBallotVoter, box)
    ballots = system_rows(SecretBallot, box)
    assert len(ballots) == len(marks) == 12
    mark_xmins = {row["xmin"] for row in marks}
    # One transaction wrote them all, none of the electors'.
    assert len({row["xmin"] for row in ballots}) == 1
    assert not {row["xmin"] for row in ballots} & mark_xmins
    # Their physical order is not the order of the votes (12! orders: a coincidence is out).
    by_place = sorted(ballots, key=lambda row: tuple(map(int, row["ctid"][1:-1].split(","))))
    assert [row["receipt"] for row in by_place] != receipts


def test_the_beat_closes_the_box_at_the_close_and_a_late_ballot_is_refused(
    component, vote_phase, candidates, elector
):
    from config.settings.celery import CELERY_BEAT_SCHEDULE

    box = box_name(component)
    early, late = elector(), elector()
    vote(early, component, candidates[0])
    # Before the close, the round does nothing.
    assert tasks.secret_boxes_close.delay().get() == 0
    assert not SecretBallotSeal.objects.filter(box=box).exists()
    assert close(component, vote_phase) == 1
    assert SecretBallotSeal.objects.filter(box=box).exists()
    assert close(component, vote_phase) == 0  # nothing left, nothing moved twice
    # A ballot that passed the page's checks just before the close and reaches the box after
    # it is refused by the box itself, and leaves no marker.
    late_key = Elector.objects.get(user=late).voter_key
    with pytest.raises(NotAllowed, match="clos"):
        secret_ballots.ballot_cast(box=box, voter_key=late_key, choices=[candidates[1].pk])
    assert not secret_ballots.has_voted(box=box, voter_key=late_key)
    # A paper ballot typed after the close goes in at the next round.
    secret_ballots.paper_ballot_add(box=box, choices=[candidates[2].pk])
    assert close(component, vote_phase) == 1
    assert secret_ballots.box_audit(box=box).ballots == 2
    assert PendingSecretBallot.objects.filter(box=box).count() == 0
    entry = next(
        entry
        for entry in CELERY_BEAT_SCHEDULE.values()
        if entry.get("args") == ("participation.secret_boxes_close",)
    )
    assert entry["task"] == "tenants.dispatch_to_towns"
    assert str(entry["schedule"]._orig_minute) == "*"


def test_a_new_secret_key_still_opens_the_pool_with_the_old_one_as_fallback(
    component, vote_phase, candidates, elector, settings
):
    box = box_name(component)
    receipt = vote(elector(), component, candidates[0])
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert secret_ballots.box_receipts(box=box) == [receipt]
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ImproperlyConfigured):
        secret_ballots.box_receipts(box=box)
    assert PendingSecretBallot.objects.filter(box=box).count() == 1  # kept, not lost


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
            assert secret_ballots.box_receipts(box=box) == receipts
    finally:
        with tenant_context(town_a):
            box = box_name(component)
            for model in (SecretBallot, PendingSecretBallot, SecretBallotVoter, SecretBallotSeal):
                model.objects.filter(box=box).delete()
            space.delete()
            place.delete()
            User.objects.filter(pk=voter.pk).delete()


def waiting_on_the_pool() -> bool:
    """Whether some transaction waits for a lock on the pool's table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_locks WHERE NOT granted AND relation = %s::regclass)",
            [PendingSecretBallot._meta.db_table],
        )
        return cursor.fetchone()[0]


def until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_close_waits_for_a_ballot_being_written_and_refuses_the_next(
    django_db_setup, committed_db
):
    """On real connections: a ballot whose transaction is open when the box closes is waited
    for and goes into the box; one sent while the close holds the pool is refused once the
    seal is committed, and leaves no marker."""
    from django.db import transaction

    from tenants.models import Tenant
    from tests.conftest import TOWN_A

    town_a = Tenant.objects.get(slug=TOWN_A)
    box = f"test:{uuid.uuid4()}"
    written, release, outcome = threading.Event(), threading.Event(), {}

    def in_town(work):
        def run():
            try:
                with tenant_context(town_a):
                    outcome[work.__name__] = work()
            except Exception as exc:
                outcome[work.__name__] = exc
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def early():
        with transaction.atomic():
            receipt = secret_ballots.ballot_cast(box=box, voter_key="early", choices=[1])
            written.set()
            release.wait(10)
        return receipt

    def closing():
        return secret_ballots.box_close(box=box)

    def late():
        return secret_ballots.ballot_cast(box=box, voter_key="late", choices=[2])

    try:
        with tenant_context(town_a):
            threads = [in_town(early)]
            assert written.wait(10)
            threads.append(in_town(closing))
            until(waiting_on_the_pool)  # the close waits for the open ballot
            threads.append(in_town(late))
            release.set()
            for thread in threads:
                thread.join(timeout=30)
            assert outcome["closing"] == 1, outcome
            assert isinstance(outcome["late"], NotAllowed), outcome
            assert secret_ballots.box_receipts(box=box) == [outcome["early"]]
            assert list(SecretBallotVoter.objects.filter(box=box).values_list("voter_key")) == [
                ("early",)
            ]
    finally:
        release.set()
        with tenant_context(town_a):
            for model in (SecretBallot, PendingSecretBallot, SecretBallotVoter, SecretBallotSeal):
                model.objects.filter(box=box).delete()


def test_a_receipt_is_twelve_characters_drawn_evenly_from_the_alphabet():
    """A byte modulo the alphabet's length draws each character equally only if that length
    divides 256: 32 characters."""
    assert len(secret_ballots.RECEIPT_ALPHABET) == 32 == len(set(secret_ballots.RECEIPT_ALPHABET))
    receipts = {secret_ballots.new_receipt() for _ in range(200)}
    assert len(receipts) == 200
    for receipt in receipts:
        groups = receipt.split("-")
        assert [len(group) for group in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(secret_ballots.RECEIPT_ALPHABET)
