"""The secret ballot box of the engine: elections of neighbourhood councils and the budgets
voted « secret » keep their ballots here.

Who voted (``SecretBallotVoter``) and what was voted (``SecretBallot``) are two tables with
nothing in common but the box's name: no foreign key, no shared id or sequence (both ids are
random UUIDs), no time nor day on a ballot, a receipt drawn at random.

A vote writes the elector's row and their ballot in one statement, so one transaction (exactly
one ballot per marked elector; the unique (box, voter_key) constraint refuses a second). The
ballot goes to the pool (``PendingSecretBallot``) **encrypted**: AES-GCM under a key derived
from the settings' ``SECRET_KEY`` (tried with ``SECRET_KEY_FALLBACKS`` too), which is not in
the database, its plaintext padded so that its length says nothing either. The pool row shares
its transaction id (xmin) with the elector's row, but whoever reads the tables reads only
ciphertext there. At the close (``box_close``, Celery beat every minute through the registry
hook ``secret_boxes_closed``) the box is sealed, the pool is decrypted and every ballot goes
into ``SecretBallot`` in an order drawn with ``secrets.SystemRandom``, in one transaction: no
readable ballot ever shares an xmin with a marker, and ctid order, xmin and ids say nothing of
who came when. A ballot sent at the last moment either is in the pool before the seal (the seal
waits for it) or is refused (it sees the seal). What remains is said in docs/elections.md.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, NotAllowed

from .models import PendingSecretBallot, SecretBallot, SecretBallotSeal, SecretBallotVoter
from .registry import registry

# No 0/O, 1/I; 32 characters, so that a random byte modulo 32 draws each equally (256 = 8 x 32).
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# A sealed ballot's plaintext is padded to a multiple of this many bytes: its length tells
# nothing of how many names it holds (a budget's ballot of many projects takes more blocks).
PAD = 256
NONCE_BYTES = 12
# Rows per INSERT when the box is filled (one transaction, in the shuffled order).
INSERT_CHUNK = 1000
Channel = SecretBallotVoter.Channel


def new_receipt() -> str:
    """12 random characters (60 bits) in three groups: ABCD-EFGH-JKLM."""
    # One read of the system's randomness (secrets.choice reads it once per character).
    code = "".join(RECEIPT_ALPHABET[byte % 32] for byte in secrets.token_bytes(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def has_voted(*, box: str, voter_key: str) -> bool:
    return SecretBallotVoter.objects.filter(box=box, voter_key=voter_key).exists()


# The pool's encryption


@functools.lru_cache(maxsize=8)
def _cipher(secret: str) -> AESGCM:
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"agora.secret_ballots.pool")
    return AESGCM(key.derive(secret.encode()))


def _ciphers() -> list[AESGCM]:
    """The current key first, then those of the fallback secrets (a rotation during a vote
    loses nothing)."""
    return [_cipher(secret) for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]


def _seal(box: str, choices: list, receipt: str, channel: str) -> bytes:
    plain = json.dumps({"choices": choices, "receipt": receipt, "channel": channel}).encode()
    plain += b" " * (-len(plain) % PAD)
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(settings.SECRET_KEY).encrypt(nonce, plain, box.encode())


@dataclass(frozen=True)
class Ballot:
    choices: list
    receipt: str
    channel: str


def _unseal(box: str, sealed: bytes) -> Ballot:
    nonce, body = bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:])
    for cipher in _ciphers():
        try:
            return Ballot(**json.loads(cipher.decrypt(nonce, body, box.encode())))
        except InvalidTag:
            continue
    raise ImproperlyConfigured(
        f"A pending ballot of {box} opens with neither SECRET_KEY nor SECRET_KEY_FALLBACKS: "
        "put the key it was sealed with back in SECRET_KEY_FALLBACKS."
    )


def _pending(box: str) -> list[Ballot]:
    rows = PendingSecretBallot.objects.filter(box=box).values_list("sealed", flat=True)
    return [_unseal(box, sealed) for sealed in rows]


# Voting


@dataclass(frozen=True)
class VoterLookup:
    """The voter's key read by the vote's own statement: ``sql`` answers one row with a
    ``voter_key`` column, or none when this person may not vote in the box (not on the roll);
    its parameters are named (``%(name)s``), ``params`` gives them."""

    sql: str
    params: dict


class VoterUnknown(NotAllowed):
    """The ``VoterLookup`` found no key: the module says why, with its own message."""


KEY_GIVEN = "SELECT %(voter)s::varchar AS voter_key"


@functools.cache
def _cast_sql(lookup: str) -> str:
    """One statement, so one transaction of its own (or the caller's): the voter's key
    (``lookup``), the elector's row unless the box is sealed, and the sealed ballot in the pool
    only if that row was written (``ON CONFLICT DO NOTHING``: a second vote of the same
    elector writes nothing, after waiting for the first one's commit). It answers (ballot
    pooled, box sealed, voter known)."""
    quote = connection.ops.quote_name
    voters = quote(SecretBallotVoter._meta.db_table)
    pending = quote(PendingSecretBallot._meta.db_table)
    seals = quote(SecretBallotSeal._meta.db_table)
    return (
        f"WITH voter AS ({lookup}), "  # noqa: S608
        f"marked AS (INSERT INTO {voters} (id, box, voter_key, channel) "
        "SELECT gen_random_uuid(), %(box)s, voter.voter_key, %(channel)s FROM voter "
        f"WHERE NOT EXISTS (SELECT FROM {seals} WHERE box = %(box)s) "
        "ON CONFLICT DO NOTHING RETURNING box), "
        f"pooled AS (INSERT INTO {pending} (id, box, sealed) "
        "SELECT gen_random_uuid(), box, %(sealed)s FROM marked RETURNING id) "
        "SELECT EXISTS (SELECT FROM pooled), "
        f"EXISTS (SELECT FROM {seals} WHERE box = %(box)s), EXISTS (SELECT FROM voter)"
    )


def ballot_cast(
    *, box: str, voter_key: str | VoterLookup, choices: list, channel: str = Channel.ONLINE
) -> str:
    """Mark the elector as having voted and put their sealed ballot in the pool, in one
    statement; return the ballot's receipt. ``voter_key`` is the key, or a ``VoterLookup``
    that reads it in the same statement (``VoterUnknown`` when it finds none). ``Conflict`` if
    this elector has already voted (online or on paper), even when both arrive at the same
    moment: the second waits for the first's commit on the unique index, then is refused,
    and nothing of it is kept. ``NotAllowed`` once the box is closed."""
    receipt = new_receipt()
    if isinstance(voter_key, VoterLookup):
        lookup, params = voter_key.sql, dict(voter_key.params)
    else:
        lookup, params = KEY_GIVEN, {"voter": voter_key}
    params.update(box=box, channel=channel, sealed=_seal(box, choices, receipt, channel))
    with connection.cursor() as cursor:
        cursor.execute(_cast_sql(lookup), params)
        pooled, closed, known = cursor.fetchone()
    if pooled:
        return receipt
    if closed:
        raise NotAllowed(_("Le vote est clos : le dépouillement a commencé."))
    if not known:
        raise VoterUnknown(_("Vous ne pouvez pas voter ici."))
    raise Conflict(_("Vous avez déjà voté : un seul bulletin par électeur."))


def voter_mark(*, box: str, voter_key: str, channel: str = Channel.PAPER) -> None:
    """Mark an elector who voted at a polling station (their paper ballot is entered apart,
    by ``paper_ballot_add``): they can no longer vote online."""
    try:
        with transaction.atomic():
            SecretBallotVoter.objects.create(box=box, voter_key=voter_key, channel=channel)
    except IntegrityError as exc:
        raise Conflict(_("Cet électeur a déjà voté.")) from exc


def paper_ballot_add(*, box: str, choices: list) -> str:
    """A paper ballot taken out of a polling station's urn, with no elector: sealed in the pool
    like the others (one typed after the close goes into the box at the next round of beat)."""
    receipt = new_receipt()
    PendingSecretBallot.objects.create(box=box, sealed=_seal(box, choices, receipt, Channel.PAPER))
    return receipt


# The close


def box_close(*, box: str) -> int:
    """Seal the box and move every pending ballot into it, in an order drawn at random, with
    fresh ids, in one transaction; return how many. The pool's table is locked first, so a
    vote already writing is waited for and one that comes next sees the seal."""
    quote = connection.ops.quote_name
    pending, seals = PendingSecretBallot._meta.db_table, SecretBallotSeal._meta.db_table
    ballots = SecretBallot._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {quote(pending)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"INSERT INTO {quote(seals)} (box) VALUES (%s) ON CONFLICT DO NOTHING",  # noqa: S608
            [box],
        )
        cursor.execute(f"DELETE FROM {quote(pending)} WHERE box = %s RETURNING sealed", [box])  # noqa: S608
        rows = [_unseal(box, sealed) for (sealed,) in cursor.fetchall()]
        secrets.SystemRandom().shuffle(rows)
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            placeholders = ", ".join(["(gen_random_uuid(), %s, %s::jsonb, %s, %s)"] * len(chunk))
            values = [
                value
                for ballot in chunk
                for value in (box, json.dumps(ballot.choices), ballot.receipt, ballot.channel)
            ]
            cursor.execute(
                f"INSERT INTO {quote(ballots)} (id, box, choices, receipt, channel) "  # noqa: S608
                f"VALUES {placeholders}",
                values,
            )
    return len(rows)


def boxes_close(now: datetime | None = None) -> int:
    """Close every box whose vote has closed by ``now`` (the modules name them through the
    registry hook ``secret_boxes_closed``) and fill those closed already that hold paper
    ballots typed since; return how many ballots went into boxes."""
    now = now or timezone.now()
    closed = {
        box
        for component_type in registry
        if component_type.secret_boxes_closed is not None
        for box in component_type.secret_boxes_closed(now)
    }
    sealed = set(SecretBallotSeal.objects.filter(box__in=closed).values_list("box", flat=True))
    waiting = set(
        PendingSecretBallot.objects.filter(box__in=closed).values_list("box", flat=True).distinct()
    )
    return sum(box_close(box=box) for box in sorted((closed - sealed) | waiting))


def boxes_delete(*, boxes: list[str]) -> None:
    """Everything of these boxes: who voted, the ballots, the pool, the seal (the deletion
    of what they were the ballots of)."""
    for model in (SecretBallotVoter, SecretBallot, PendingSecretBallot, SecretBallotSeal):
        model.objects.filter(box__in=boxes).delete()


def box_is_closed(*, box: str) -> bool:
    return SecretBallotSeal.objects.filter(box=box).exists()


# Reading the box


def box_ballots(*, box: str) -> list[list]:
    """Every ballot's choices, pool included (decrypted in memory), in no meaningful order."""
    return [
        *SecretBallot.objects.filter(box=box).values_list("choices", flat=True),
        *(ballot.choices for ballot in _pending(box)),
    ]


def box_version_sql(*, box: str) -> tuple[str, list]:
    """A statement giving the box's version as text: its number of ballots (the pool's
    included) and a sum of hashes of their receipts (of their sealed bytes in the pool). A
    ballot cast changes it; so does the close, once (it moves the pool into the box)."""
    quote = connection.ops.quote_name
    rows = (
        f"SELECT receipt AS token FROM {quote(SecretBallot._meta.db_table)} WHERE box = %s "  # noqa: S608
        f"UNION ALL SELECT md5(sealed) FROM {quote(PendingSecretBallot._meta.db_table)} "
        "WHERE box = %s"
    )
    version = "count(*)::text || ':' || coalesce(sum(hashtextextended(token, 0)), 0)::text"
    return f"SELECT {version} FROM ({rows}) AS ballot", [box, box]  # noqa: S608


def box_distinct_ballots(*, box: str) -> list[tuple[list, int]]:
    """Every distinct ballot of the box with how many times it was cast: the box's grouped
    by the database in one query, the pool's (encrypted until the close) added in memory."""
    table = connection.ops.quote_name(SecretBallot._meta.db_table)
    sql = f"SELECT choices, count(*) FROM {table} WHERE box = %s GROUP BY choices"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [box])
        counts = Counter(
            {json.dumps(_loaded(choices)): count for choices, count in cursor.fetchall()}
        )
    counts.update(json.dumps(ballot.choices) for ballot in _pending(box))
    return [(json.loads(choices), count) for choices, count in counts.items()]


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
            *(ballot.receipt for ballot in _pending(box)),
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
    ballots = _by_channel(SecretBallot.objects.filter(box=box))
    ballots.update(ballot.channel for ballot in _pending(box))
    voters = _by_channel(SecretBallotVoter.objects.filter(box=box))
    return BoxAudit(
        ballots=ballots.total(),
        online_ballots=ballots[Channel.ONLINE],
        paper_ballots=ballots[Channel.PAPER],
        voters=voters.total(),
        online_voters=voters[Channel.ONLINE],
        paper_voters=voters[Channel.PAPER],
    )


def _by_channel(queryset) -> Counter:
    return Counter(
        dict(queryset.values("channel").annotate(n=Count("*")).values_list("channel", "n"))
    )
