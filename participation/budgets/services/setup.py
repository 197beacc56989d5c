"""Staff set budgets up: budgets, their projects and their result rule, before the vote."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid
from core.positions import next_position
from core.text import clean_text
from participation.images import clean_alt, image_store
from participation.models import Component, Neighbourhood
from participation.services import ensure_perm
from tenants.services import map_location_checked

from ..models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Budget,
    Project,
)


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
    secret_ballot: bool = False,
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
    if secret_ballot and census_required:
        # The box marks one key per voter: the account or the census identity, not both.
        raise Invalid(_("Le vote secret ne se combine pas encore avec une liste de votants."))
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
            secret_ballot=secret_ballot,
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
    latitude: Decimal | str | None = None,
    longitude: Decimal | str | None = None,
    image=None,
    image_alt: str = "",
) -> Project:
    """A project of a budget, before its vote starts; with a picture if given (described by
    ``image_alt``, both through ``participation.images``)."""
    ensure_perm(actor, "budgets.add_project", budget)
    title = clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    if cost is None or cost < 0:
        raise Invalid(_("Le coût d'un projet est un montant positif en euros."))
    # The same checks and messages as a town's own map centre (the zoom is not the project's).
    location = map_location_checked(latitude=latitude, longitude=longitude, zoom=None)
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
                latitude=location.latitude,
                longitude=location.longitude,
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
    if result_rule != budget.result_rule:
        ensure_perm(actor, "budgets.change_result_rule", budget)
    budget.result_rule = result_rule
    budget.save(update_fields=["result_rule", "updated_at"])
    return budget
