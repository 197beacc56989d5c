"""Changing a neighbourhood council: its members, its meetings (minutes, attendance) and its
shops. Each service checks ``councils.change_council``, validates with a French message naming
the problem, and writes in one transaction: a refusal leaves nothing behind (a minutes file is
checked before it is stored, and removed again if the row cannot be saved)."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import User
from core import files
from core.errors import Conflict, Invalid
from core.positions import next_position
from core.text import clean_text
from participation.models import Component, Official
from participation.services import ensure_perm
from tenants.services import map_location_checked

from .hours import clean_opening_hours
from .models import (
    ADDRESS_MAX_LENGTH,
    AGENDA_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    SHOP_TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Attendance,
    CouncilMember,
    Meeting,
    Shop,
)
from .selectors import members_seated_on

TYPE_KEY = "councils"
PERM = "councils.change_council"
# The largest minutes file: 20 Mo, as the documents of a space.
MINUTES_MAX_BYTES = 20 * 1024 * 1024


def _ensure_council(component: Component) -> None:
    if component.type_key != TYPE_KEY:
        raise Invalid(_("Ce composant n'est pas un conseil de quartier."))


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _delete_file_on_commit(name: str, storage) -> None:
    """Remove a stored file once the transaction that forgot it is committed."""
    if not name:
        return
    schema = connection.schema_name

    def delete() -> None:
        with schema_context(schema):
            storage.delete(name)

    transaction.on_commit(delete)


# Members ---------------------------------------------------------------------------------


def _president_conflict(component: Component) -> Invalid | None:
    president = (
        CouncilMember.objects.filter(
            component=component, role=CouncilMember.Role.PRESIDENT, left_on__isnull=True
        )
        .select_related("account", "official")
        .first()
    )
    if president is None:
        return None
    return Invalid(
        _(
            "Le conseil a déjà un président ou une présidente : %(name)s. Indiquez d'abord "
            "son départ, ou changez son rôle."
        )
        % {"name": president.display_name},
        field="role",
    )


def _who(
    *, role: str, account: User | None, name: str, official: Official | None
) -> tuple[User | None, str, Official | None]:
    if role not in CouncilMember.Role.values:
        raise Invalid(_("Rôle inconnu : « %(role)s ».") % {"role": role}, field="role")
    name = clean_text(name, label=_("Nom"), max_length=NAME_MAX_LENGTH, required=False)
    if role == CouncilMember.Role.REFERENT:
        if official is None:
            raise Invalid(
                _("L'élu référent est l'un des élus de la ville : choisissez-le dans la liste."),
                field="official",
            )
        return None, "", official
    if official is not None:
        raise Invalid(
            _("Seul l'élu référent est choisi parmi les élus ; les autres membres sont un "
              "compte ou un nom."),
            field="official",
        )  # fmt: skip
    if (account is None) == (not name):
        raise Invalid(
            _("Un membre est soit un compte du site, soit un nom : indiquez l'un des deux."),
            field="name",
        )
    if account is not None and not account.is_active:
        raise Invalid(_("Ce compte est désactivé."), field="account")
    return account, name, None


def member_add(
    *,
    actor: User,
    component: Component,
    role: str,
    account: User | None = None,
    name: str = "",
    official: Official | None = None,
    joined_on: datetime.date | None = None,
) -> CouncilMember:
    """Seat someone on the council. One president at a time: checked here with the council
    locked, and by the database's partial unique index against anything else."""
    ensure_perm(actor, PERM, component)
    _ensure_council(component)
    account, name, official = _who(role=role, account=account, name=name, official=official)
    try:
        with transaction.atomic():
            position = next_position(
                parent=component, items=CouncilMember.objects.filter(component=component)
            )
            if role == CouncilMember.Role.PRESIDENT and (refusal := _president_conflict(component)):
                raise refusal
            return CouncilMember.objects.create(
                component=component,
                role=role,
                account=account,
                name=name,
                official=official,
                joined_on=joined_on or timezone.localdate(),
                position=position,
            )
    except IntegrityError as exc:
        raise _seat_conflict(exc) from exc


def _seat_conflict(exc: IntegrityError) -> Conflict:
    text = str(exc)
    if "councils_one_president" in text:
        return Conflict(_("Le conseil a déjà un président ou une présidente."), field="role")
    if "councils_official_seated_once" in text:
        return Conflict(_("Cet élu siège déjà au conseil."), field="official")
    return Conflict(_("Cette personne siège déjà au conseil."), field="account")


def member_change_role(*, actor: User, member: CouncilMember, role: str) -> CouncilMember:
    """A member becomes president, secretary or resident (the referent stays an official)."""
    ensure_perm(actor, PERM, member)
    if role == CouncilMember.Role.REFERENT or member.role == CouncilMember.Role.REFERENT:
        raise Invalid(
            _("L'élu référent est un élu de la ville : ajoutez-le ou retirez-le comme tel."),
            field="role",
        )
    if role not in CouncilMember.Role.values:
        raise Invalid(_("Rôle inconnu : « %(role)s ».") % {"role": role}, field="role")
    try:
        with transaction.atomic():
            member = CouncilMember.objects.select_for_update().get(pk=member.pk)
            Component.objects.select_for_update().get(pk=member.component_id)
            if not member.is_active:
                raise Conflict(_("Ce membre a quitté le conseil."))
            if (
                role == CouncilMember.Role.PRESIDENT
                and member.role != role
                and (refusal := _president_conflict(member.component))
            ):
                raise refusal
            member.role = role
            member.save(update_fields=["role", "updated_at"])
    except IntegrityError as exc:
        raise _seat_conflict(exc) from exc
    return member


def member_leave(
    *, actor: User, member: CouncilMember, left_on: datetime.date | None = None
) -> CouncilMember:
    """The member leaves the council; the row stays for the attendance lists it is on."""
    ensure_perm(actor, PERM, member)
    left_on = left_on or timezone.localdate()
    with transaction.atomic():
        member = CouncilMember.objects.select_for_update().get(pk=member.pk)
        if not member.is_active:
            raise Conflict(_("Ce membre a déjà quitté le conseil."))
        if left_on < member.joined_on:
            raise Invalid(
                _(
                    "Un membre ne peut pas quitter le conseil (%(left)s) avant d'y entrer "
                    "(%(joined)s)."
                )
                % {
                    "left": date_format(left_on, "DATE_FORMAT"),
                    "joined": date_format(member.joined_on, "DATE_FORMAT"),
                },
                field="left_on",
            )
        member.left_on = left_on
        member.save(update_fields=["left_on", "updated_at"])
    return member


# Meetings --------------------------------------------------------------------------------


class MeetingDetails(TypedDict, total=False):
    title: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    place: str
    agenda: str


def _update(item: Meeting | Shop, fields: dict) -> Meeting | Shop:
    """Write ``fields`` on the row, locked; a constraint it breaks escapes as IntegrityError."""
    with transaction.atomic():
        item = type(item).objects.select_for_update().get(pk=item.pk)
        for name, value in fields.items():
            setattr(item, name, value)
        item.save(update_fields=[*fields, "updated_at"])
    return item


def _meeting_fields(
    *,
    title: str = "",
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    agenda: str = "",
) -> dict:
    if starts_at is None or ends_at is None:
        raise Invalid(_("Indiquez le début et la fin de la réunion."), field="starts_at")
    if ends_at <= starts_at:
        raise Invalid(
            _(
                "La réunion ne peut pas finir (%(ends)s) avant de commencer (%(starts)s) : "
                "vérifiez la date et les heures."
            )
            % {"ends": _when(ends_at), "starts": _when(starts_at)},
            field="ends_at",
        )
    if ends_at - starts_at > datetime.timedelta(hours=24):
        raise Invalid(_("Une réunion dure 24 heures au plus."), field="ends_at")
    return {
        "title": clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH, field="title"),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": clean_text(place, label=_("Lieu"), max_length=PLACE_MAX_LENGTH, field="place"),
        "agenda": clean_text(
            agenda,
            label=_("Ordre du jour"),
            max_length=AGENDA_MAX_LENGTH,
            required=False,
            field="agenda",
        ),
    }


def meeting_schedule(
    *, actor: User, component: Component, **details: Unpack[MeetingDetails]
) -> Meeting:
    ensure_perm(actor, PERM, component)
    _ensure_council(component)
    return Meeting.objects.create(component=component, **_meeting_fields(**details))


def meeting_update(*, actor: User, meeting: Meeting, **details: Unpack[MeetingDetails]) -> Meeting:
    ensure_perm(actor, PERM, meeting)
    return _update(meeting, _meeting_fields(**details))


def _ensure_started(meeting: Meeting, message: str) -> None:
    if meeting.starts_at > timezone.now():
        raise Invalid(message % {"starts": _when(meeting.starts_at)})


def _minutes_name(meeting: Meeting) -> str:
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    stem = slugify(f"compte-rendu-{meeting.title}")[:60].strip("-")
    return f"{stem}-{day}.pdf"


def meeting_publish_minutes(*, actor: User, meeting: Meeting, file: UploadedFile) -> Meeting:
    """The meeting's minutes, a PDF by its content whatever its name; a new file replaces
    the previous one (removed once the change is committed)."""
    ensure_perm(actor, PERM, meeting)
    _ensure_started(
        meeting,
        _("Le compte rendu se publie une fois la réunion tenue (elle commence le %(starts)s)."),
    )
    files.upload_check(
        file,
        allowed=(files.PDF,),
        max_bytes=MINUTES_MAX_BYTES,
        refused=_(
            "Le fichier « %(name)s » n'est pas un PDF : son contenu ne correspond pas au "
            "format PDF, quelle que soit son extension. Enregistrez le compte rendu en PDF."
        ),
        field="file",
    )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        previous = meeting.minutes.name
        meeting.minutes.save(_minutes_name(meeting), file, save=False)
        stored = meeting.minutes.name
        try:
            meeting.minutes_size = file.size
            meeting.minutes_published_at = timezone.now()
            meeting.save(
                update_fields=["minutes", "minutes_size", "minutes_published_at", "updated_at"]
            )
        except Exception:
            meeting.minutes.storage.delete(stored)
            raise
        _delete_file_on_commit(previous, meeting.minutes.storage)
    return meeting


def meeting_record_attendance(
    *,
    actor: User,
    meeting: Meeting,
    present: Collection[int],
    excused: Collection[int] = (),
    public_attendance: int = 0,
) -> Meeting:
    """Who came (``present``, members' ids), who sent word (``excused``) and how many other
    residents came; replaces what was recorded before."""
    ensure_perm(actor, PERM, meeting)
    _ensure_started(
        meeting,
        _("Les présences se relèvent une fois la réunion commencée (le %(starts)s)."),
    )
    present, excused = set(present), set(excused)
    if both := present & excused:
        raise Invalid(
            _("Un membre ne peut pas être à la fois présent et excusé (%(count)d cas).")
            % {"count": len(both)},
            field="present",
        )
    if public_attendance is None or not 0 <= public_attendance <= 10_000:
        raise Invalid(
            _("Le nombre d'habitants présents est un nombre entier de 0 à 10 000."),
            field="public_attendance",
        )
    meeting_day = timezone.localtime(meeting.starts_at).date()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        seated = set(members_seated_on(meeting.component, meeting_day).values_list("pk", flat=True))
        if strangers := (present | excused) - seated:
            raise Invalid(
                _(
                    "Certaines personnes cochées ne siégeaient pas au conseil le jour de la "
                    "réunion (%(count)d)."
                )
                % {"count": len(strangers)},
                field="present",
            )
        Attendance.objects.filter(meeting=meeting).delete()
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=meeting, member_id=pk, status=status)
                for ids, status in (
                    (present, Attendance.Status.PRESENT),
                    (excused, Attendance.Status.EXCUSED),
                )
                for pk in sorted(ids)
            ]
        )
        meeting.public_attendance = public_attendance
        meeting.attendance_recorded_at = timezone.now()
        meeting.save(update_fields=["public_attendance", "attendance_recorded_at", "updated_at"])
    return meeting


def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    ensure_perm(actor, PERM, meeting)
    with transaction.atomic():
        name, storage = meeting.minutes.name, meeting.minutes.storage
        Meeting.objects.filter(pk=meeting.pk).delete()
        _delete_file_on_commit(name, storage)


# Shops -----------------------------------------------------------------------------------


class ShopDetails(TypedDict, total=False):
    name: str
    address: str
    description: str
    # One line per day key (mon…sun), as typed: « 9h-12h, 14h-19h ».
    opening_hours: Mapping[str, str]
    latitude: Decimal | str | None
    longitude: Decimal | str | None


def _shop_fields(
    *,
    name: str = "",
    address: str = "",
    description: str = "",
    opening_hours: Mapping[str, str] | None = None,
    latitude: Decimal | str | None = None,
    longitude: Decimal | str | None = None,
) -> dict:
    location = map_location_checked(latitude=latitude, longitude=longitude, zoom=None)
    return {
        "name": clean_text(name, label=_("Nom"), max_length=NAME_MAX_LENGTH, field="name"),
        "address": clean_text(
            address, label=_("Adresse"), max_length=ADDRESS_MAX_LENGTH, field="address"
        ),
        "description": clean_text(
            description,
            label=_("Présentation courte"),
            max_length=SHOP_TEXT_MAX_LENGTH,
            required=False,
            field="description",
        ),
        "opening_hours": clean_opening_hours(opening_hours or {}),
        "latitude": location.latitude,
        "longitude": location.longitude,
    }


def _shop_conflict(name: str) -> Conflict:
    return Conflict(
        _("Le conseil présente déjà un commerce nommé « %(name)s ».") % {"name": name},
        field="name",
    )


def shop_add(*, actor: User, component: Component, **details: Unpack[ShopDetails]) -> Shop:
    ensure_perm(actor, PERM, component)
    _ensure_council(component)
    fields = _shop_fields(**details)
    try:
        with transaction.atomic():
            position = next_position(
                parent=component, items=Shop.objects.filter(component=component)
            )
            return Shop.objects.create(component=component, position=position, **fields)
    except IntegrityError as exc:
        raise _shop_conflict(fields["name"]) from exc


def shop_update(*, actor: User, shop: Shop, **details: Unpack[ShopDetails]) -> Shop:
    ensure_perm(actor, PERM, shop)
    fields = _shop_fields(**details)
    try:
        return _update(shop, fields)
    except IntegrityError as exc:
        raise _shop_conflict(fields["name"]) from exc


def shop_delete(*, actor: User, shop: Shop) -> None:
    ensure_perm(actor, PERM, shop)
    Shop.objects.filter(pk=shop.pk).delete()
