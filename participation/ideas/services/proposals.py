"""Residents submit and edit their proposals (ideas)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import ngettext

from accounts.models import User
from core.errors import NotAllowed
from core.ratelimit import rate_limit
from participation.images import clean_alt, image_change, image_store
from participation.models import Component, Neighbourhood, Profile
from participation.services import ensure_perm

from ..models import (
    Category,
    Proposal,
    ProposalStatusChange,
)
from .fields import clean_proposal_fields, ensure_ideas
from .review import proposal_locked

Status = Proposal.Status


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
    rate_limit("idea", account=author.pk)
    ensure_ideas(component)
    ensure_perm(author, "ideas.add_proposal", component)
    fields = clean_proposal_fields(
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
    fields = clean_proposal_fields(
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
        locked = proposal_locked(proposal)
        # Asked again of the locked row: staff may have taken it up meanwhile.
        ensure_perm(author, "ideas.change_proposal", locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.image = image_change(
            current=locked.image, upload=image, alt=image_alt, remove=remove_image
        )
        locked.save()
    return locked
