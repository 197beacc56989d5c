"""The council's meetings and shops as CSV files a spreadsheet opens as they are."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import CSV_CONTENT_TYPE, csv_bytes
from participation.models import Component

from .hours import DAYS, week_lines
from .selectors import meetings, shops


def meetings_csv(component: Component) -> tuple[str, str, bytes]:
    header = [
        _("réunion"),
        _("titre"),
        _("début"),
        _("fin"),
        _("lieu"),
        _("ordre du jour"),
        _("membres présents"),
        _("habitants présents (hors membres)"),
        _("compte rendu"),
    ]
    rows = (
        [
            meeting.pk,
            meeting.title,
            timezone.localtime(meeting.starts_at).replace(tzinfo=None),
            timezone.localtime(meeting.ends_at).replace(tzinfo=None),
            meeting.place,
            meeting.agenda,
            meeting.present_count,
            meeting.public_attendance,
            _("oui") if meeting.has_minutes else _("non"),
        ]
        for meeting in meetings(component).order_by("starts_at", "pk")
    )
    filename = f"reunions-{component.space.slug}-{component.pk}.csv"
    return filename, CSV_CONTENT_TYPE, csv_bytes([header, *rows])


def shops_csv(component: Component) -> tuple[str, str, bytes]:
    header = [
        _("commerce"),
        _("nom"),
        _("adresse"),
        _("présentation courte"),
        *(str(label) for _key, label in DAYS),
        _("latitude"),
        _("longitude"),
    ]
    rows = (
        [
            shop.pk,
            shop.name,
            shop.address,
            shop.description,
            *(hours for _day, hours in week_lines(shop.opening_hours)),
            shop.latitude,
            shop.longitude,
        ]
        for shop in shops(component)
    )
    filename = f"commerces-{component.space.slug}-{component.pk}.csv"
    return filename, CSV_CONTENT_TYPE, csv_bytes([header, *rows])
