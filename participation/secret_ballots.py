"""The secret ballot box of the engine: elections of neighbourhood councils and the budgets
voted « secret » keep their ballots here.

Who voted (``SecretBallotVoter``) and what was voted (``SecretBallot``) are two tables with
nothing in common but the box's name: no foreign key, no shared id or sequence (both ids are
random UUIDs), the day only on a ballot, a receipt drawn at random. A vote writes the elector's
row and the ballot in one transaction (exactly one ballot per marked elector; the unique
(box, voter_key) constraint refuses a second), but the ballot goes first to a pool
(``PendingSecretBallot``); once the pool holds ``POOL_SIZE`` ballots they are moved into the
box in random order in one statement, so neither the ballots' physical order (ctid) nor their
transaction id (xmin) tells who came when, beyond "one of this batch". ``box_flush`` empties
the pool at the close. What remains is said in docs/elections.md (« Limites »).
"""

from __future__ import annotations

import functools
import json
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict

from .models import PendingSecretBallot, SecretBallot, SecretBallotVoter

# Ballots held in the pool before they are shuffled into the box: the smallest group an
# observer of the tables can narrow a ballot to while the vote is open.
POOL_SIZE = 20
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
Channel = SecretBallotVoter.Channel


def new_receipt() -> str:
    """12 random characters (60 bits) in three groups: ABCD-EFGH-JKLM."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def has_voted(*, box: str, voter_key: str) -> bool:
    return SecretBallotVoter.objects.filter(box=box, voter_key=voter_key).exists()


@functools.cache
def _cast_sql() -> str:
    """One statement, so one transaction of its own: the elector's row, and the ballot in
    the pool only if that row was written (``ON CONFLICT DO NOTHING``: a second vote of the
    same elector writes nothing, after waiting for the first one's commit); it answers the
    pool's size with this ballot (the CTE's insert is not seen by the count, hence + 1)."""
    quote = connection.ops.quote_name
    voters, pending = SecretBallotVoter._meta.db_table, PendingSecretBallot._meta.db_table
    return (
        f"WITH marked AS (INSERT INTO {quote(voters)} (id, box, voter_key, channel) "  # noqa: S608
        "VALUES (gen_random_uuid(), %s, %s, %s) ON CONFLICT DO NOTHING RETURNING box), "
        f"pooled AS (INSERT INTO {quote(pending)} (id, box, choices, receipt, channel, cast_on) "
        "SELECT gen_random_uuid(), box, %s::jsonb, %s, %s, %s FROM marked RETURNING box) "
        f"SELECT (SELECT count(*) FROM {quote(pending)} WHERE box = pooled.box) + 1 FROM pooled"
    )


def _flush_if_full(box: str, pooled: int) -> None:
    if pooled >= POOL_SIZE:
        box_flush(box=box)


def ballot_cast(*, box: str, voter_key: str, choices: list, channel: str = Channel.ONLINE) -> str:
    """Mark the elector as having voted and put their ballot in the box, in one transaction
    (one statement, or the caller's transaction); return the ballot's receipt. ``Conflict``
    if this elector has already voted (online or on paper), even when both arrive at the
    same moment: the second waits for the first's commit on the unique index, then is
    refused, and nothing of it is kept."""
    receipt = new_receipt()
    with connection.cursor() as cursor:
        cursor.execute(
            _cast_sql(),
            [box, voter_key, channel, json.dumps(choices), receipt, channel, timezone.localdate()],
        )
        row = cursor.fetchone()
    if row is None:
        raise Conflict(_("Vous avez déjà voté : un seul bulletin par électeur."))
    _flush_if_full(box, row[0])
    return receipt


def voter_mark(*, box: str, voter_key: str, channel: str = Channel.PAPER) -> None:
    """Mark an elector who voted at a polling station (their paper ballot is entered apart,
    by ``paper_ballot_add``): they can no longer vote online."""
    try:
        with transaction.atomic():
            SecretBallotVoter.objects.create(box=box, voter_key=voter_key, channel=channel)
    except IntegrityError as exc:
        raise Conflict(_("Cet électeur a déjà voté.")) from exc


def paper_ballot_add(*, box: str, choices: list) -> str:
    """A paper ballot taken out of a polling station's urn: in the box, with no elector."""
    receipt = new_receipt()
    PendingSecretBallot.objects.create(
        box=box,
        choices=choices,
        receipt=receipt,
        channel=Channel.PAPER,
        cast_on=timezone.localdate(),
    )
    _flush_if_full(box, PendingSecretBallot.objects.filter(box=box).count())
    return receipt


def box_flush(*, box: str) -> int:
    """Move the pool's ballots (those no other transaction is moving) into the box, in an
    order drawn at random, in one INSERT; return how many."""
    quote = connection.ops.quote_name
    pending, ballots = PendingSecretBallot._meta.db_table, SecretBallot._meta.db_table
    columns = ["id", "box", "choices", "receipt", "channel", "cast_on"]
    listed = ", ".join(quote(column) for column in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(pending)} WHERE id IN (SELECT id FROM {quote(pending)} "  # noqa: S608
            f"WHERE box = %s FOR UPDATE SKIP LOCKED) RETURNING {listed}",
            [box],
        )
        rows = cursor.fetchall()
        if not rows:
            return 0
        secrets.SystemRandom().shuffle(rows)
        # New random ids too: a pending row's id is not carried into the box.
        placeholders = ", ".join(["(gen_random_uuid(), %s, %s::jsonb, %s, %s, %s)"] * len(rows))
        values = [value for row in rows for value in (row[1], _json(row[2]), *row[3:])]
        cursor.execute(
            f"INSERT INTO {quote(ballots)} ({listed}) VALUES {placeholders}",  # noqa: S608
            values,
        )
    return len(rows)


def _json(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def box_ballots(*, box: str) -> list[list]:
    """Every ballot's choices, pool included, in no meaningful order."""
    return [
        *SecretBallot.objects.filter(box=box).values_list("choices", flat=True),
        *PendingSecretBallot.objects.filter(box=box).values_list("choices", flat=True),
    ]


def _box_rows(column: str) -> str:
    """A statement listing ``column`` of the box's ballots, the pool's included (the box's
    name as its two parameters)."""
    quote = connection.ops.quote_name
    return " UNION ALL ".join(
        f"SELECT {column} FROM {quote(model._meta.db_table)} WHERE box = %s"  # noqa: S608
        for model in (SecretBallot, PendingSecretBallot)
    )


def box_version_sql(*, box: str) -> tuple[str, list]:
    """A statement giving the box's version as text: its number of ballots (the pool's
    included) and a sum of hashes of their receipts. A ballot cast changes it; a flush (which
    moves ballots with their receipts) does not."""
    rows = _box_rows("receipt")
    version = "count(*)::text || ':' || coalesce(sum(hashtextextended(receipt, 0)), 0)::text"
    return f"SELECT {version} FROM ({rows}) AS ballot", [box, box]  # noqa: S608


def box_distinct_ballots(*, box: str) -> list[tuple[list, int]]:
    """Every distinct ballot of the box (pool included) with how many times it was cast, in
    one query (the database groups identical choices)."""
    sql = f"SELECT choices, count(*) FROM ({_box_rows('choices')}) AS ballot GROUP BY choices"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [box, box])
        return [(_loaded(choices), count) for choices, count in cursor.fetchall()]


def _loaded(value):
    return json.loads(value) if isinstance(value, str) else value


def box_count(*, box: str, choices_of=lambda choices: choices) -> Counter:
    """How many ballots name each choice (``choices_of`` reads a ballot's choices)."""
    counter: Counter = Counter()
    for choices in box_ballots(box=box):
        counter.update(choices_of(choices))
    return counter


def box_receipts(*, box: str) -> list[str]:
    """The receipts of every ballot counted, sorted: published after the close."""
    return sorted(
        [
            *SecretBallot.objects.filter(box=box).values_list("receipt", flat=True),
            *PendingSecretBallot.objects.filter(box=box).values_list("receipt", flat=True),
        ]
    )


@dataclass(frozen=True)
class BoxAudit:
    """The box's two counts, which must agree: ballots, and electors marked as having
    voted (online and on paper)."""

    ballots: int
    online_ballots: int
    paper_ballots: int
    voters: int
    online_voters: int
    paper_voters: int

    @property
    def balanced(self) -> bool:
        return self.ballots == self.voters


def box_audit(*, box: str) -> BoxAudit:
    ballots: Counter = Counter()
    for model in (SecretBallot, PendingSecretBallot):
        ballots.update(dict(_by_channel(model.objects.filter(box=box))))
    voters = Counter(dict(_by_channel(SecretBallotVoter.objects.filter(box=box))))
    return BoxAudit(
        ballots=ballots.total(),
        online_ballots=ballots[Channel.ONLINE],
        paper_ballots=ballots[Channel.PAPER],
        voters=voters.total(),
        online_voters=voters[Channel.ONLINE],
        paper_voters=voters[Channel.PAPER],
    )


def _by_channel(queryset) -> Iterable[tuple[str, int]]:
    return queryset.values("channel").annotate(n=Count("*")).values_list("channel", "n")
