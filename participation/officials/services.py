"""Creating, editing and ordering the town's officials and municipal services: for the
town's administrators (``participation.change_official``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid
from core.text import clean_text
from participation.images import image_change, image_delete
from participation.models import MunicipalService, Neighbourhood, Official
from participation.services import _reorder, ensure_perm

NAME_MAX_LENGTH = 120
TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000

PERM = "participation.change_official"


def _accounts(accounts: Iterable[User]) -> list[User]:
    accounts = list(accounts)
    if any(account.role == User.Role.VENDOR_STAFF for account in accounts):
        raise Invalid(_("Choisissez des comptes de la collectivité."))
    return accounts


def municipal_service_save(
    *,
    actor: User,
    service: MunicipalService | None = None,
    name: str,
    description: str = "",
    members: Iterable[User] = (),
) -> MunicipalService:
    """Create a service (``service`` None) or change one; its members are town accounts that
    answer the questions routed to it."""
    ensure_perm(actor, PERM)
    name = clean_text(name, label=_("Nom"), max_length=NAME_MAX_LENGTH, field="name")
    description = clean_text(
        description, label=_("Description"), max_length=TEXT_MAX_LENGTH, required=False
    )
    members = _accounts(members)
    try:
        with transaction.atomic():
            if service is None:
                service = MunicipalService(position=MunicipalService.objects.count())
            else:
                service = MunicipalService.objects.select_for_update().get(pk=service.pk)
            service.name, service.description = name, description
            service.save()
            service.members.set(members)
    except IntegrityError as exc:
        raise Conflict(
            _("Un service porte déjà le nom « %(name)s ».") % {"name": name}, field="name"
        ) from exc
    return service


def official_save(
    *,
    actor: User,
    official: Official | None = None,
    name: str,
    title: str,
    delegations: str = "",
    neighbourhood: Neighbourhood | None = None,
    account: User | None = None,
    services: Iterable[MunicipalService] = (),
    published: bool = True,
    image=None,
    image_alt: str = "",
    remove_image: bool = False,
) -> Official:
    """Create an official (``official`` None) or change one, with their photo (through
    ``participation.images``), the services that answer for them and, when they answer
    themselves, their town account (one official per account)."""
    ensure_perm(actor, PERM)
    fields = {
        "name": clean_text(name, label=_("Nom"), max_length=NAME_MAX_LENGTH, field="name"),
        "title": clean_text(title, label=_("Fonction"), max_length=TITLE_MAX_LENGTH, field="title"),
        "delegations": clean_text(
            delegations, label=_("Délégations"), max_length=TEXT_MAX_LENGTH, required=False
        ),
        "neighbourhood": neighbourhood,
        "account": _accounts([account])[0] if account is not None else None,
        "published": published,
    }
    try:
        with transaction.atomic():
            if official is None:
                official = Official(position=Official.objects.count())
                current_photo = None
            else:
                official = Official.objects.select_for_update().get(pk=official.pk)
                current_photo = official.photo
            for attribute, value in fields.items():
                setattr(official, attribute, value)
            official.photo = image_change(
                current=current_photo, upload=image, alt=image_alt, remove=remove_image
            )
            official.save()
            official.services.set(list(services))
    except IntegrityError as exc:
        raise Conflict(_("Ce compte est déjà celui d'un autre élu."), field="account") from exc
    return official


def official_delete(*, actor: User, official: Official) -> None:
    """Remove an official. Refused while a module's database rule needs them (a question to
    officials routed to them and still waiting for its answer keeps its holder)."""
    ensure_perm(actor, PERM)
    try:
        with transaction.atomic():
            photo = official.photo
            official.delete()
            image_delete(photo)
    except IntegrityError as exc:
        raise Conflict(
            _(
                "Cet élu détient encore des questions en attente de réponse : transmettez-les "
                "à quelqu'un d'autre avant de le retirer."
            )
        ) from exc


def officials_reorder(*, actor: User, ordered_ids: Sequence[int]) -> None:
    ensure_perm(actor, PERM)
    with transaction.atomic():
        _reorder(Official.objects.all(), ordered_ids)


def municipal_services_reorder(*, actor: User, ordered_ids: Sequence[int]) -> None:
    ensure_perm(actor, PERM)
    with transaction.atomic():
        _reorder(MunicipalService.objects.all(), ordered_ids)
