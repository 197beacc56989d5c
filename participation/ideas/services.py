"""Submitting proposals, analysing them, merging duplicates, putting them to the vote and
following them until done. Every status change is recorded in the public timeline and its
authors are told by e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.errors import Conflict, Invalid, NotAllowed, NotFound
from core.hosts import current_town_url
from core.positions import next_position
from core.text import clean_text
from participation.comments.models import Support
from participation.images import clean_alt, image_change, image_store
from participation.models import Component, Neighbourhood, Profile
from participation.notifications.kinds import MODERATION
from participation.notifications.services import notify
from participation.services import component_update_settings, ensure_perm

from . import budgets
from .models import (
    ADDRESS_MAX_LENGTH,
    CATEGORY_MAX_LENGTH,
    COST_MAX_DIGITS,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SERVICE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Proposal,
    ProposalProject,
    ProposalStatusChange,
)

Status = Proposal.Status
TYPE_KEY = "ideas"

# Where a proposal may go from each status (staff may reconsider eligibility).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.UNDER_ANALYSIS, Status.ELIGIBLE, Status.INELIGIBLE}),
    Status.UNDER_ANALYSIS: frozenset({Status.ELIGIBLE, Status.INELIGIBLE}),
    Status.ELIGIBLE: frozenset({Status.INELIGIBLE, Status.PUT_TO_VOTE}),
    Status.INELIGIBLE: frozenset({Status.ELIGIBLE}),
    Status.PUT_TO_VOTE: frozenset({Status.SELECTED, Status.NOT_SELECTED}),
    Status.SELECTED: frozenset({Status.IN_PROGRESS}),
    Status.NOT_SELECTED: frozenset(),
    Status.IN_PROGRESS: frozenset({Status.DONE}),
    Status.DONE: frozenset(),
}
FOLLOW_UP_STATUSES = (Status.IN_PROGRESS, Status.DONE)

# France: metropolitan France with Corsica, then the overseas departments and collectivities
# (south, west, north, east in degrees).
FRANCE_AREAS: tuple[tuple[float, float, float, float], ...] = (
    (41.3, -5.3, 51.2, 9.7),  # métropole et Corse
    (15.8, -61.9, 16.6, -60.9),  # Guadeloupe
    (14.3, -61.3, 14.95, -60.75),  # Martinique
    (2.1, -54.7, 5.85, -51.5),  # Guyane
    (-21.45, 55.2, -20.85, 55.9),  # La Réunion
    (-13.05, 44.95, -12.6, 45.35),  # Mayotte
    (46.7, -56.5, 47.2, -56.1),  # Saint-Pierre-et-Miquelon
    (17.85, -63.2, 18.15, -62.75),  # Saint-Martin, Saint-Barthélemy
    (-28.0, -155.0, -7.0, -134.0),  # Polynésie française
    (-23.0, 163.5, -19.5, 168.5),  # Nouvelle-Calédonie
    (-14.4, -178.25, -13.15, -176.1),  # Wallis-et-Futuna
)


# Validation


def _decimal(value, *, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid(
            _("%(label)s : « %(value)s » n'est pas un nombre.") % {"label": label, "value": value}
        ) from exc
    if not number.is_finite():
        raise Invalid(_("%(label)s : ce nombre n'est pas valide.") % {"label": label})
    return number


def clean_cost(value, *, label: str) -> Decimal | None:
    cost = _decimal(value, label=label)
    if cost is None:
        return None
    if cost < 0:
        raise Invalid(_("%(label)s : le montant ne peut pas être négatif.") % {"label": label})
    cost = cost.quantize(Decimal("0.01"))
    if cost >= Decimal(10) ** (COST_MAX_DIGITS - 2):
        raise Invalid(_("%(label)s : ce montant est trop élevé.") % {"label": label})
    return cost


def in_france(latitude: Decimal, longitude: Decimal) -> bool:
    lat, lng = float(latitude), float(longitude)
    return any(
        south <= lat <= north and west <= lng <= east for south, west, north, east in FRANCE_AREAS
    )


def clean_coordinates(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither; valid coordinates of a place in France, to the micro-degree."""
    lat = _decimal(latitude, label=_("Latitude"))
    lng = _decimal(longitude, label=_("Longitude"))
    if lat is None and lng is None:
        return None, None
    if lat is None or lng is None:
        raise Invalid(
            _("Coordonnées GPS : indiquez la latitude et la longitude, ou aucune des deux.")
        )
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Invalid(
            _(
                "Coordonnées GPS : la latitude va de -90 à 90 et la longitude de -180 à 180 "
                "(%(lat)s, %(lng)s donnés)."
            )
            % {"lat": lat, "lng": lng}
        )
    if not in_france(lat, lng):
        raise Invalid(
            _("Coordonnées GPS : le point (%(lat)s, %(lng)s) n'est pas en France.")
            % {"lat": lat, "lng": lng}
        )
    step = Decimal("0.000001")
    return lat.quantize(step), lng.quantize(step)


def _clean_category(component: Component, category: Category | None) -> Category | None:
    if category is None:
        return None
    if category.component_id != component.pk:
        raise Invalid(_("Cette catégorie n'appartient pas à cet appel à idées."))
    return category


def _clean_proposal_fields(
    component: Component,
    *,
    title: str,
    description: str,
    category: Category | None,
    neighbourhood: Neighbourhood | None,
    address: str,
    latitude,
    longitude,
    estimated_cost,
) -> dict:
    latitude, longitude = clean_coordinates(latitude, longitude)
    return {
        "title": clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH),
        "description": clean_text(
            description, label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH
        ),
        "category": _clean_category(component, category),
        "neighbourhood": neighbourhood,
        "address": clean_text(
            address, label=_("Adresse ou lieu"), max_length=ADDRESS_MAX_LENGTH, required=False
        ),
        "latitude": latitude,
        "longitude": longitude,
        "estimated_cost": clean_cost(estimated_cost, label=_("Coût estimé")),
    }


def _ensure_ideas(component: Component) -> None:
    if component.type_key != TYPE_KEY:
        raise Invalid(_("Ce composant n'est pas un appel à idées."))


# Submitting


def proposal_submit(
    *,
    author: User,
    component: Component,
    title: str,
    description: str,
    category: Category | None = None,
    neighbourhood: Neighbourhood | None = None,
    address: str = "",
    latitude=None,
    longitude=None,
    image=None,
    image_alt: str = "",
    estimated_cost=None,
) -> Proposal:
    """A resident's new proposal, with its picture if given (described by ``image_alt``, both
    through ``participation.images``). Text is stored as typed (templates escape it). With the
    component's ``max_proposals_per_person``, the author's profile row is locked while their
    proposals are counted: two submissions at once take turns and never exceed the limit."""
    _ensure_ideas(component)
    ensure_perm(author, "ideas.add_proposal", component)
    fields = _clean_proposal_fields(
        component,
        title=title,
        description=description,
        category=category,
        neighbourhood=neighbourhood,
        address=address,
        latitude=latitude,
        longitude=longitude,
        estimated_cost=estimated_cost,
    )
    if image:
        clean_alt(image_alt)  # before anything is decoded or locked
    limit = component.setting("max_proposals_per_person")
    with transaction.atomic():
        Profile.objects.select_for_update().get(user=author)
        if limit:
            count = Proposal.objects.filter(component=component, author=author).count()
            if count >= limit:
                raise NotAllowed(
                    ngettext(
                        "Vous avez déjà déposé %(count)d idée dans cet appel : c'est le maximum "
                        "par personne.",
                        "Vous avez déjà déposé %(count)d idées dans cet appel : c'est le maximum "
                        "par personne.",
                        count,
                    )
                    % {"count": count}
                )
        proposal = Proposal(component=component, author=author, **fields)
        if image:
            proposal.image = image_store(upload=image, alt=image_alt)
        proposal.save()
        ProposalStatusChange.objects.create(
            proposal=proposal, from_status="", to_status=Status.SUBMITTED, by=author
        )
    return proposal


def proposal_edit(
    *,
    author: User,
    proposal: Proposal,
    title: str,
    description: str,
    category: Category | None = None,
    neighbourhood: Neighbourhood | None = None,
    address: str = "",
    latitude=None,
    longitude=None,
    image=None,
    image_alt: str = "",
    remove_image: bool = False,
    estimated_cost=None,
) -> Proposal:
    """The author changes their proposal while it is submitted and the collect is open."""
    component = proposal.component
    ensure_perm(author, "ideas.change_proposal", proposal)
    fields = _clean_proposal_fields(
        component,
        title=title,
        description=description,
        category=category,
        neighbourhood=neighbourhood,
        address=address,
        latitude=latitude,
        longitude=longitude,
        estimated_cost=estimated_cost,
    )
    if image:
        clean_alt(image_alt)
    with transaction.atomic():
        locked = _locked(proposal)
        # Asked again of the locked row: staff may have taken it up meanwhile.
        ensure_perm(author, "ideas.change_proposal", locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.image = image_change(
            current=locked.image, upload=image, alt=image_alt, remove=remove_image
        )
        locked.save()
    return locked


# Status changes


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("component__space", "author")
        .get(pk=proposal.pk)
    )


def _authors(proposal: Proposal) -> list[User]:
    people = [proposal.author, *proposal.co_authors.all()]
    seen: set[int] = set()
    found = []
    for person in people:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            found.append(person)
    return found


def _notify_authors(proposal: Proposal, subject: str, template: str, context: dict, *, by=None):
    link = current_town_url(proposal.get_absolute_url())
    for person in _authors(proposal):
        if by is not None and person.pk == by.pk:
            continue  # staff changing their own proposal know it already
        notify(
            person, MODERATION, subject, template, {**context, "proposal": proposal, "link": link}
        )


def _change_status(
    proposal: Proposal, to: str, *, by: User | None, reason: str = ""
) -> ProposalStatusChange:
    """Move a locked proposal to ``to``: recorded in the timeline, authors e-mailed once the
    transaction commits."""
    if proposal.is_merged:
        raise Conflict(_("Cette idée a été fusionnée avec une autre : son statut ne change plus."))
    if to not in TRANSITIONS[proposal.status]:
        raise Invalid(
            _("Une idée « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": Status(proposal.status).label, "to": Status(to).label}
        )
    change = ProposalStatusChange.objects.create(
        proposal=proposal, from_status=proposal.status, to_status=to, reason=reason, by=by
    )
    proposal.status = to
    proposal.save(update_fields=["status", "ineligibility_reason", "updated_at"])
    _notify_authors(
        proposal,
        _("%(town)s : votre idée « %(title)s » est maintenant « %(status)s »")
        % {
            "town": connection.tenant.name,
            "title": proposal.title,
            "status": Status(to).label.lower(),
        },
        "ideas/emails/status_changed",
        {"change": change, "status_label": Status(to).label},
        by=by,
    )
    return change


def _staff_locked(actor: User, proposal: Proposal) -> Proposal:
    ensure_perm(actor, "ideas.analyse_proposal", proposal)
    return _locked(proposal)


def _clean_reason(reason: str, *, required: bool) -> str:
    return clean_text(
        reason, label=_("Explication"), max_length=REASON_MAX_LENGTH, required=required
    )


def _start_analysis(proposal: Proposal, actor: User) -> None:
    if proposal.status == Status.SUBMITTED and not proposal.is_merged:
        _change_status(proposal, Status.UNDER_ANALYSIS, by=actor)


def proposal_assign(*, actor: User, proposal: Proposal, service: str) -> Proposal:
    """Give the proposal to a municipal service; a submitted proposal goes under analysis."""
    service = clean_text(
        service, label=_("Service municipal"), max_length=SERVICE_MAX_LENGTH, required=False
    )
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        locked.assigned_service = service
        locked.save(update_fields=["assigned_service", "updated_at"])
        if service:
            _start_analysis(locked, actor)
    return locked


def proposal_note(
    *, actor: User, proposal: Proposal, feasibility_note: str = "", cost_estimate=None
) -> Proposal:
    """The staff's internal feasibility note and cost estimate (never shown to residents)."""
    note = clean_text(
        feasibility_note,
        label=_("Note de faisabilité"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )
    cost = clean_cost(cost_estimate, label=_("Coût estimé par les services"))
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        locked.feasibility_note = note
        locked.cost_estimate = cost
        locked.save(update_fields=["feasibility_note", "cost_estimate", "updated_at"])
        if note or cost is not None:
            _start_analysis(locked, actor)
    return locked


def proposal_mark_eligible(*, actor: User, proposal: Proposal, reason: str = "") -> Proposal:
    reason = _clean_reason(reason, required=False)
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        locked.ineligibility_reason = ""
        _change_status(locked, Status.ELIGIBLE, by=actor, reason=reason)
    return locked


def proposal_mark_ineligible(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """Not eligible, with the reason everyone will read on the proposal's page."""
    reason = _clean_reason(reason, required=True)
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        locked.ineligibility_reason = reason
        _change_status(locked, Status.INELIGIBLE, by=actor, reason=reason)
    return locked


def proposal_follow_up(
    *, actor: User, proposal: Proposal, status: str, reason: str = ""
) -> Proposal:
    """A selected proposal's works: in progress, then done."""
    if status not in FOLLOW_UP_STATUSES:
        raise Invalid(_("Statut de suivi inconnu : « %(status)s ».") % {"status": status})
    reason = _clean_reason(reason, required=False)
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        _change_status(locked, status, by=actor, reason=reason)
    return locked


# Merging duplicates


def proposal_merge(*, actor: User, duplicate: Proposal, into: Proposal) -> Proposal:
    """Merge a duplicate into another proposal of the same call, in one transaction: its
    supports move over (once per account: a resident who supported both keeps one), its
    authors become co-authors, and it is marked merged (status unchanged, hidden from
    lists, its page pointing to the other). Returns the proposal merged into."""
    ensure_perm(actor, "ideas.analyse_proposal", duplicate)
    ensure_perm(actor, "ideas.analyse_proposal", into)
    if duplicate.pk == into.pk:
        raise Invalid(_("Une idée ne peut pas être fusionnée avec elle-même."))
    if duplicate.component_id != into.component_id:
        raise Invalid(_("Les deux idées doivent appartenir au même appel à idées."))
    try:
        with transaction.atomic():
            rows = {
                row.pk: row
                for row in Proposal.objects.select_for_update(of=("self",))
                .select_related("component__space", "author")
                .filter(pk__in=[duplicate.pk, into.pk])
                .order_by("pk")
            }
            dup, target = rows[duplicate.pk], rows[into.pk]
            if dup.is_merged:
                raise Conflict(
                    _("« %(title)s » est déjà fusionnée avec une autre idée.")
                    % {"title": dup.title}
                )
            if target.is_merged:
                raise Conflict(
                    _(
                        "« %(title)s » a elle-même été fusionnée : "
                        "choisissez l'idée qui la remplace."
                    )
                    % {"title": target.title}
                )
            content_type = ContentType.objects.get_for_model(Proposal)
            on_target = Support.objects.filter(
                content_type=content_type, object_id=target.pk, user__isnull=False
            ).values("user_id")
            duplicate_supports = Support.objects.filter(content_type=content_type, object_id=dup.pk)
            duplicate_supports.filter(user_id__in=on_target).delete()
            duplicate_supports.update(object_id=target.pk, component_id=target.component_id)
            people = {dup.author_id, *dup.co_authors.values_list("pk", flat=True)}
            people -= {None, target.author_id}
            if people:
                target.co_authors.add(*people)
            # Those merged into the duplicate before now point to where it went.
            Proposal.objects.filter(merged_into=dup).update(merged_into=target)
            dup.merged_into = target
            dup.merged_at = timezone.now()
            dup.save(update_fields=["merged_into", "merged_at", "updated_at"])
            _notify_authors(
                dup,
                _("%(town)s : votre idée « %(title)s » a été fusionnée avec une autre")
                % {"town": connection.tenant.name, "title": dup.title},
                "ideas/emails/merged",
                {"into": target, "into_link": current_town_url(target.get_absolute_url())},
                by=actor,
            )
    except IntegrityError as exc:  # a support given to both at that very moment
        raise Conflict(_("Un soutien a été donné pendant la fusion : veuillez réessayer.")) from exc
    return target


# The vote


def proposal_to_vote(
    *, actor: User, proposal: Proposal, budget_id: int, reason: str = ""
) -> ProposalProject:
    """Turn an eligible proposal into a project of a participatory budget (when the town has
    the budgets module): the project takes its title, description and cost (the services'
    estimate, else the author's), the link is kept here and the proposal is put to the vote."""
    ensure_perm(actor, "ideas.analyse_proposal", proposal)
    if not budgets.available():
        raise Invalid(_("Le module de budget participatif n'est pas disponible."))
    budget = budgets.budget_get(budget_id)
    if budget is None:
        raise NotFound(_("Ce budget participatif n'existe pas."))
    if budget.results_published:
        raise Conflict(_("Les résultats de ce budget sont déjà publiés."))
    reason = _clean_reason(reason, required=False)
    with transaction.atomic():
        locked = _locked(proposal)
        if locked.is_merged or locked.status != Status.ELIGIBLE:
            raise Invalid(_("Seule une idée recevable peut être soumise au vote."))
        if ProposalProject.objects.filter(proposal=locked).exists():
            raise Conflict(_("Cette idée est déjà un projet soumis au vote."))
        cost = locked.cost_estimate if locked.cost_estimate is not None else locked.estimated_cost
        if cost is None:
            raise Invalid(
                _("Indiquez le coût estimé par les services avant de soumettre l'idée au vote.")
            )
        project_id = budgets.project_create(
            actor=actor,
            budget=budget,
            title=locked.title,
            description=locked.description,
            cost=cost,
            proposal_id=locked.pk,
        )
        link = ProposalProject.objects.create(
            proposal=locked, project_id=project_id, budget_id=budget.pk
        )
        _change_status(
            locked,
            Status.PUT_TO_VOTE,
            by=actor,
            reason=reason or _("Soumise au vote : « %(budget)s ».") % {"budget": budget},
        )
    return link


def proposals_follow_results(*, budget_id: int, selected_project_ids: Iterable[int]) -> dict:
    """Called by the budgets module when a budget's results are published: the proposals
    put to that vote become selected or not selected (once: those already followed are
    left as they are). Returns how many of each."""
    selected = {int(pk) for pk in selected_project_ids}
    counts = {Status.SELECTED.value: 0, Status.NOT_SELECTED.value: 0}
    with transaction.atomic():
        proposals = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("component__space", "author", "project_link")
            .filter(project_link__budget_id=budget_id, status=Status.PUT_TO_VOTE)
            .order_by("pk")
        )
        for proposal in proposals:
            to = (
                Status.SELECTED
                if proposal.project_link.project_id in selected
                else Status.NOT_SELECTED
            )
            _change_status(proposal, to, by=None)
            counts[to.value] += 1
    return counts


# Categories and settings


def category_create(*, actor: User, component: Component, name: str) -> Category:
    ensure_perm(actor, "ideas.analyse_proposal", component)
    _ensure_ideas(component)
    name = clean_text(name, label=_("Nom de la catégorie"), max_length=CATEGORY_MAX_LENGTH)
    try:
        with transaction.atomic():
            position = next_position(
                parent=component, items=Category.objects.filter(component=component)
            )
            return Category.objects.create(component=component, name=name, position=position)
    except IntegrityError as exc:
        raise Conflict(_("La catégorie « %(name)s » existe déjà.") % {"name": name}) from exc


def category_rename(*, actor: User, category: Category, name: str) -> Category:
    ensure_perm(actor, "ideas.analyse_proposal", category.component)
    name = clean_text(name, label=_("Nom de la catégorie"), max_length=CATEGORY_MAX_LENGTH)
    try:
        with transaction.atomic():
            category.name = name
            category.save(update_fields=["name"])
    except IntegrityError as exc:
        raise Conflict(_("La catégorie « %(name)s » existe déjà.") % {"name": name}) from exc
    return category


def category_delete(*, actor: User, category: Category) -> None:
    """Its proposals stay, without category."""
    ensure_perm(actor, "ideas.analyse_proposal", category.component)
    category.delete()


def ideas_settings_update(
    *, actor: User, component: Component, max_proposals_per_person: int | None
) -> Component:
    _ensure_ideas(component)
    if max_proposals_per_person is not None and max_proposals_per_person < 1:
        raise Invalid(
            _("Le nombre maximum d'idées par personne est d'au moins 1 (vide : sans limite).")
        )
    return component_update_settings(
        actor=actor,
        component=component,
        settings={"max_proposals_per_person": max_proposals_per_person},
    )
