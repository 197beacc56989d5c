"""What changes an election: its rules, its roll, its candidacies, the votes (online, and the
paper ones typed twice). The ballots themselves go to the engine's secret box."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.errors import Conflict, Invalid, NotAllowed
from core.ratelimit import rate_limit
from core.text import clean_text
from participation import secret_ballots
from participation.double_entry import check_second_agent, entries_match
from participation.images import image_store
from participation.models import Component
from participation.services import ensure_perm

from .models import Candidate, Election, Elector, PaperEntry, box_name
from .page_cache import BallotPage
from .rules import vote_closed


def election_of(component: Component) -> Election:
    if component.type_key != "elections":
        raise Invalid(_("Ce composant n'est pas une élection."))
    election, _created = Election.objects.get_or_create(component=component)
    election.component = component  # with its space and phases, as the caller has them
    return election


def election_update(
    *, actor: User, component: Component, seats: int, parity: bool, tie_rule: str
) -> Election:
    """Change the rules; refused once the first ballot is in the box (the rules are known
    before anyone votes)."""
    ensure_perm(actor, "elections.change_election", component)
    if not 1 <= seats <= 99:
        raise Invalid(_("Le nombre de sièges va de 1 à 99."), field="seats")
    if tie_rule not in Election.TieRule.values:
        raise Invalid(_("Règle de départage inconnue."), field="tie_rule")
    with transaction.atomic():
        election = election_of(component)
        Election.objects.select_for_update().get(pk=election.pk)
        if secret_ballots.box_audit(box=box_name(component)).voters:
            raise Conflict(_("Le vote a commencé : ses règles ne changent plus."))
        election.seats, election.parity, election.tie_rule = seats, parity, tie_rule
        election.save()
    return election


# The electoral roll


def roll_add_residents(*, actor: User, component: Component) -> int:
    """Put on the roll every verified resident of the council's neighbourhood (those already
    on it stay once); return how many were added."""
    ensure_perm(actor, "elections.change_election", component)
    neighbourhood = component.space.neighbourhood_id
    if neighbourhood is None:
        raise Invalid(_("Cet espace n'a pas de quartier : rattachez-le d'abord à un quartier."))
    residents = User.objects.filter(
        is_active=True, email_verified_at__isnull=False, profile__neighbourhood_id=neighbourhood
    ).exclude(pk__in=Elector.objects.filter(component=component).values("user_id"))
    made = Elector.objects.bulk_create(
        [
            Elector(
                component=component,
                user=user,
                email=user.email.lower(),
                source=Elector.Source.RESIDENT,
            )
            for user in residents
        ],
        ignore_conflicts=True,
    )
    return len(made)


def elector_of(user: User, component: Component) -> Elector | None:
    """The user's line of the roll: theirs by account, or an imported line with their
    verified e-mail address."""
    if not user.is_authenticated:
        return None
    match = Q(user=user)
    if user.is_email_verified and user.email:
        match |= Q(user__isnull=True, email=user.email.lower())
    return Elector.objects.filter(match, component=component).order_by("user_id").first()


def _elector_for_vote(user: User, component: Component) -> Elector:
    elector = elector_of(user, component)
    if elector is None:
        raise NotAllowed(_("Vous n'êtes pas inscrit sur la liste électorale de ce quartier."))
    profile = getattr(user, "profile", None)
    if elector.source == Elector.Source.RESIDENT and (
        profile is None or profile.neighbourhood_id != component.space.neighbourhood_id
    ):
        raise NotAllowed(_("Vous n'habitez plus ce quartier : vous ne pouvez pas y voter."))
    return elector


# Candidacies


def candidacy_submit(
    *,
    actor: User,
    component: Component,
    name: str,
    gender: str,
    statement: str,
    image=None,
    image_alt: str = "",
) -> Candidate:
    """A resident on the roll applies, with a statement and a photo; the town validates."""
    ensure_perm(actor, "elections.apply_candidate", component)
    if elector_of(actor, component) is None:
        raise NotAllowed(_("Seuls les électeurs du quartier peuvent se porter candidats."))
    if gender not in Candidate.Gender.values:
        raise Invalid(_("Indiquez femme ou homme (pour la parité)."), field="gender")
    name = clean_text(name, label=_("Nom affiché"), max_length=120, field="name")
    statement = clean_text(statement, label=_("Profession de foi"), max_length=5000)
    if not name or not statement:
        raise Invalid(_("Indiquez votre nom et votre profession de foi."))
    with transaction.atomic():
        image = image_store(upload=image, alt=image_alt) if image else None
        try:
            with transaction.atomic():
                return Candidate.objects.create(
                    component=component,
                    user=actor,
                    name=name,
                    gender=gender,
                    statement=statement,
                    photo=image,
                )
        except IntegrityError as exc:
            raise Conflict(_("Vous êtes déjà candidat à cette élection.")) from exc


def _candidacy_set(candidate: Candidate, status: str) -> Candidate:
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.status == Candidate.Status.WITHDRAWN:
            raise Conflict(_("Cette candidature a été retirée."))
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    return locked


def candidacy_decide(*, actor: User, candidate: Candidate, validated: bool) -> Candidate:
    ensure_perm(actor, "elections.change_election", candidate.component)
    status = Candidate.Status.VALIDATED if validated else Candidate.Status.REJECTED
    return _candidacy_set(candidate, status)


def candidacy_withdraw(*, actor: User, candidate: Candidate) -> Candidate:
    if actor.pk != candidate.user_id and not actor.has_perm(
        "elections.change_election", candidate.component
    ):
        raise NotAllowed(_("Seul le candidat peut retirer sa candidature."))
    return _candidacy_set(candidate, Candidate.Status.WITHDRAWN)


# The vote


def validate_choices(
    election: Election, candidate_ids: Iterable, statuses: dict[int, str] | None = None
) -> list[int]:
    """The ballot as a sorted list of validated candidates' ids, or Invalid naming the
    problem: an unknown, withdrawn or refused candidate, one named twice, more than seats.
    ``statuses``: every candidacy's status by id, when the caller has them (else read)."""
    try:
        ids = [int(value) for value in candidate_ids]
    except (TypeError, ValueError) as exc:
        raise Invalid(_("Ce bulletin contient une valeur illisible.")) from exc
    if len(set(ids)) != len(ids):
        raise Invalid(_("Un candidat figure deux fois sur votre bulletin."))
    if not ids:
        raise Invalid(_("Choisissez au moins un candidat."))
    if len(ids) > election.seats:
        raise Invalid(
            ngettext(
                "Vous pouvez choisir %(seats)d candidat au plus (%(count)d choisis).",
                "Vous pouvez choisir %(seats)d candidats au plus (%(count)d choisis).",
                election.seats,
            )
            % {"seats": election.seats, "count": len(ids)}
        )
    standing = statuses
    if standing is None:
        standing = dict(
            Candidate.objects.filter(component=election.component, pk__in=ids).values_list(
                "pk", "status"
            )
        )
    for pk in ids:
        status = standing.get(pk)
        if status is None:
            raise Invalid(_("Le candidat n° %(id)d ne se présente pas ici.") % {"id": pk})
        if status != Candidate.Status.VALIDATED:
            raise Invalid(_("Un des candidats choisis n'est plus candidat (candidature retirée)."))
    return sorted(ids)


@functools.cache
def _roll_sql(by_account: bool) -> str:
    """The voter's line of the roll as ``_elector_for_vote`` finds it, as the vote's own
    statement reads it: their own line (``by_account``), else an imported line with their
    verified address when they have no line of their own; a resident's line only while they
    live in the neighbourhood. Two statements, the second only for those the first did not
    find, rather than one with ``user = … OR (user IS NULL AND email = …)``: PostgreSQL's work
    on that OR (two partial indexes, a sort) cost as much as the statement's two inserts
    (docs/benchmarks.md, "Election burst, third round")."""
    quote = connection.ops.quote_name
    column = {name: quote(Elector._meta.get_field(name).column) for name in Elector.ROLL_FIELDS}
    table = quote(Elector._meta.db_table)
    own = f"{column['component']} = %(component)s AND {column['user']} = %(user)s"
    match = (
        own
        if by_account
        else f"{column['component']} = %(component)s AND {column['user']} IS NULL "
        f"AND {column['email']} = %(email)s AND NOT EXISTS (SELECT FROM {table} WHERE {own})"
    )
    return (
        f"SELECT %(prefix)s::text || {column['id']}::text AS voter_key FROM {table} "  # noqa: S608
        f"WHERE {match} AND ({column['source']} <> %(resident)s OR %(lives_here)s)"
    )


def _roll_lookup(user: User, component: Component, by_account: bool) -> secret_ballots.VoterLookup:
    profile = getattr(user, "profile", None)
    verified = user.is_email_verified and user.email
    return secret_ballots.VoterLookup(
        _roll_sql(by_account),
        {
            "prefix": Elector.VOTER_PREFIX,
            "component": component.pk,
            "user": user.pk,
            "email": user.email.lower() if verified else None,
            "resident": Elector.Source.RESIDENT,
            "lives_here": profile is not None
            and profile.neighbourhood_id == component.space.neighbourhood_id,
        },
    )


def ballot_cast(
    *,
    voter: User,
    component: Component,
    candidate_ids: Iterable,
    page: BallotPage | None = None,
) -> str:
    """The elector's one ballot, secret: return its receipt. Refused with a reason if the
    vote is not open, the voter is not on this neighbourhood's roll, has already voted
    (online or on paper), or the ballot breaks the rules; nothing is written then. ``page``:
    the election as the vote API read it from the cache (else read here). The roll line,
    the marker and the ballot are one statement (a second one for an imported line)."""
    rate_limit("vote", account=voter.pk)
    ensure_perm(voter, "elections.vote_election", component)
    election = page.election if page is not None else election_of(component)
    statuses = page.statuses if page is not None else None
    choices = validate_choices(election, candidate_ids, statuses)
    box = box_name(component)
    verified = voter.is_email_verified and voter.email
    for by_account in (True, False) if verified else (True,):
        try:
            return secret_ballots.ballot_cast(
                box=box, voter_key=_roll_lookup(voter, component, by_account), choices=choices
            )
        except secret_ballots.VoterUnknown as exc:
            unknown = exc
    _elector_for_vote(voter, component)  # the reason, in the roll's own words
    raise unknown


def has_voted(user: User, component: Component) -> bool:
    elector = elector_of(user, component)
    return elector is not None and secret_ballots.has_voted(
        box=box_name(component), voter_key=elector.voter_key
    )


# Paper votes at a polling station


def paper_voter_mark(*, actor: User, elector: Elector) -> None:
    """An elector signed the polling station's list: marked, they cannot vote online."""
    ensure_perm(actor, "elections.enter_paper", elector.component)
    secret_ballots.voter_mark(box=box_name(elector.component), voter_key=elector.voter_key)


def paper_entry_type(
    *, actor: User, component: Component, sheet: str, candidate_ids: Iterable
) -> PaperEntry:
    """A paper ballot typed by an agent: the first typing records it, a second typing by
    another agent counts it when both agree, flags it otherwise."""
    ensure_perm(actor, "elections.enter_paper", component)
    election = election_of(component)
    sheet = clean_text(sheet, label=_("Numéro du bulletin"), max_length=40, field="sheet")
    if not sheet:
        raise Invalid(_("Indiquez le numéro du bulletin."), field="sheet")
    choices = validate_choices(election, candidate_ids)
    with transaction.atomic():
        entry = (
            PaperEntry.objects.select_for_update().filter(component=component, sheet=sheet).first()
        )
        if entry is None:
            try:
                with transaction.atomic():
                    return PaperEntry.objects.create(
                        component=component, sheet=sheet, choices=choices, entered_by=actor
                    )
            except IntegrityError as exc:
                raise Conflict(_("Ce bulletin vient d'être saisi : retapez-le.")) from exc
        if entry.status != PaperEntry.Status.TYPED:
            raise Conflict(_("Ce bulletin a déjà été saisi deux fois."))
        check_second_agent(entry.entered_by_id, actor)
        entry.checked_by = actor
        if entries_match(entry.choices, choices):
            entry.status = PaperEntry.Status.COUNTED
            secret_ballots.paper_ballot_add(box=box_name(component), choices=choices)
        else:
            entry.status = PaperEntry.Status.MISMATCH
        entry.save(update_fields=["checked_by", "status", "updated_at"])
        return entry


def results_open(component: Component) -> list[str]:
    """After the close: every counted ballot's receipt, for publication (the box was closed
    by beat at the close: ``secret_ballots.boxes_close``). Before the close: nothing."""
    if not vote_closed(component):
        return []
    return secret_ballots.box_receipts(box=box_name(component))
