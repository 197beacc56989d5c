"""Staff analyse proposals: assign a service, note, declare eligible or not, follow up once
selected, merge duplicates. Every status change is recorded in the public timeline and the
authors are told by e-mail."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid
from core.hosts import current_town_url
from core.text import clean_text
from participation.comments.models import Support
from participation.models import MunicipalService
from participation.notifications.kinds import MODERATION
from participation.notifications.services import notify
from participation.services import ensure_perm

from ..models import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SERVICE_MAX_LENGTH,
    Proposal,
    ProposalStatusChange,
)
from .fields import clean_cost

Status = Proposal.Status


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


def proposal_locked(proposal: Proposal) -> Proposal:
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


def status_change(
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
    return proposal_locked(proposal)


def clean_reason(reason: str, *, required: bool) -> str:
    return clean_text(
        reason, label=_("Explication"), max_length=REASON_MAX_LENGTH, required=required
    )


def _start_analysis(proposal: Proposal, actor: User) -> None:
    if proposal.status == Status.SUBMITTED and not proposal.is_merged:
        status_change(proposal, Status.UNDER_ANALYSIS, by=actor)


def proposal_assign(*, actor: User, proposal: Proposal, service: str) -> Proposal:
    """Give the proposal to a municipal service; a submitted proposal goes under analysis."""
    service = clean_text(
        service, label=_("Service municipal"), max_length=SERVICE_MAX_LENGTH, required=False
    )
    ensure_perm(actor, "ideas.assign_proposal", proposal)
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        locked.assigned_service = service
        locked.save(update_fields=["assigned_service", "updated_at"])
        if service:
            _start_analysis(locked, actor)
    return locked


def proposal_service_assign(
    *, actor: User, proposal: Proposal, service: MunicipalService | None
) -> Proposal:
    """Give the proposal to one of the town's services, whose analysts then instruct it
    (None: to none); a submitted proposal goes under analysis."""
    ensure_perm(actor, "ideas.assign_proposal", proposal)
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        locked.service = service
        locked.assigned_service = service.name[:SERVICE_MAX_LENGTH] if service else ""
        locked.save(update_fields=["service", "assigned_service", "updated_at"])
        if service is not None:
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
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        locked.ineligibility_reason = ""
        status_change(locked, Status.ELIGIBLE, by=actor, reason=reason)
    return locked


def proposal_mark_ineligible(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """Not eligible, with the reason everyone will read on the proposal's page."""
    reason = clean_reason(reason, required=True)
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        locked.ineligibility_reason = reason
        status_change(locked, Status.INELIGIBLE, by=actor, reason=reason)
    return locked


def proposal_follow_up(
    *, actor: User, proposal: Proposal, status: str, reason: str = ""
) -> Proposal:
    """A selected proposal's works: in progress, then done."""
    if status not in FOLLOW_UP_STATUSES:
        raise Invalid(_("Statut de suivi inconnu : « %(status)s ».") % {"status": status})
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        locked = _staff_locked(actor, proposal)
        status_change(locked, status, by=actor, reason=reason)
    return locked


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
