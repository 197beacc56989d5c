"""Invented content of a demo council: members, meetings with their minutes and attendance,
and local shops placed around the demo town's centre. Everything goes through the services,
as the council's staff would do it. The content depends on the space's neighbourhood, so that
a town with two councils shows two different ones."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from core.pdf import minimal_pdf
from participation.demo import demo_centre
from participation.models import Component, Official

from . import services
from .models import CouncilMember


@dataclass(frozen=True)
class DemoShop:
    name: str
    address: str
    text: str
    hours: dict[str, str]
    # Offset from the town's centre, in thousandths of a degree (north, east).
    offset: tuple[int, int]


@dataclass(frozen=True)
class DemoCouncil:
    president: str
    secretary: str
    residents: tuple[str, ...]
    place: str
    topics: tuple[str, ...]
    shops: tuple[DemoShop, ...]


WEEKDAYS = {day: "9h-12h30, 14h30-19h" for day in ("tue", "wed", "thu", "fri")}

COUNCILS = {
    "Pas-du-Lac": DemoCouncil(
        president="Nadia Benali",
        secretary="Hugo Lefèvre",
        residents=("Aline Roussel", "Mamadou Diallo", "Odile Perrin"),
        place="Maison de quartier du Pas-du-Lac, salle Jean-Vilar",
        topics=("Éclairage du chemin du lac", "Jardins partagés", "Vide-grenier de juin"),
        shops=(
            DemoShop(
                "Boulangerie du Lac",
                "4 place du Pas-du-Lac",
                "Pain au levain cuit au feu de bois, viennoiseries maison.",
                {**WEEKDAYS, "sat": "7h-13h", "sun": "7h30-12h30"},
                (-6, 4),
            ),
            DemoShop(
                "Le Vélo du Lac",
                "12 rue de l'Étang",
                "Réparation et location de vélos, atelier d'autoréparation le samedi.",
                {**WEEKDAYS, "sat": "10h-18h"},
                (-4, 7),
            ),
        ),
    ),
}
DEFAULT = DemoCouncil(
    president="Sylvie Martin",
    secretary="Jean-Luc Petit",
    residents=("Paul Durand", "Fatou Sow", "Bernard Lucas"),
    place="Salle des fêtes, 1 place de la Mairie",
    topics=("Passage piéton devant l'école", "Travaux de la place du marché", "Fête de quartier"),
    shops=(
        DemoShop("Épicerie Chez Lucie", "8 rue de la République", "Produits locaux et vrac, "
                 "paniers de légumes le jeudi.", {**WEEKDAYS, "mon": "15h-19h", "sat": "9h-19h"},
                 (2, -3)),
        DemoShop("Librairie La Page", "21 avenue du Centre", "Librairie indépendante, "
                 "rencontres d'auteurs un samedi par mois.", {**WEEKDAYS, "sat": "10h-19h"},
                 (-1, 2)),
        DemoShop("Fromagerie du Marché", "Halle du marché, stand 3", "Fromages affinés sur "
                 "place, plateaux sur commande.", {"wed": "8h-13h", "sat": "8h-13h"}, (1, 1)),
    ),
)  # fmt: skip


def _minutes_pdf(title: str, day: datetime.date, topics: tuple[str, ...]) -> SimpleUploadedFile:
    # The hand-written PDF takes ASCII only.
    lines = [title, day.isoformat(), "", *(f"{n}. {topic}" for n, topic in enumerate(topics, 1))]
    ascii_lines = [line.encode("ascii", "ignore").decode() for line in lines]
    return SimpleUploadedFile(f"compte-rendu-{day}.pdf", minimal_pdf(ascii_lines))


def _referent(component: Component) -> Official:
    """A published official of the council's neighbourhood (or any), made if there is none."""
    neighbourhood = component.space.neighbourhood
    official = (
        Official.objects.filter(published=True, neighbourhood=neighbourhood).first()
        or Official.objects.filter(published=True).first()
    )
    return official or Official.objects.create(
        name="Élise Moreau",
        title="Adjointe au maire chargée de la démocratie locale",
        neighbourhood=neighbourhood,
    )


def council_seed(component: Component) -> None:
    admin = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    if admin is None:
        return
    neighbourhood = component.space.neighbourhood
    council = COUNCILS.get(neighbourhood.name if neighbourhood else "", DEFAULT)
    today = timezone.localdate()
    joined = today - datetime.timedelta(days=400)
    seat = dict(actor=admin, component=component, joined_on=joined)
    seated = [
        services.member_add(**seat, role=CouncilMember.Role.PRESIDENT, name=council.president),
        services.member_add(**seat, role=CouncilMember.Role.SECRETARY, name=council.secretary),
    ]
    services.member_add(**seat, role=CouncilMember.Role.REFERENT, official=_referent(component))
    residents = User.objects.filter(role=User.Role.CITIZEN, is_active=True).order_by("pk")[:1]
    for account in residents:
        seated.append(
            services.member_add(**seat, role=CouncilMember.Role.RESIDENT, account=account)
        )
    for name in council.residents:
        seated.append(services.member_add(**seat, role=CouncilMember.Role.RESIDENT, name=name))
    _meetings(admin, component, council, seated)
    _shops(admin, component, council)


def _meetings(admin, component, council: DemoCouncil, seated) -> None:
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for weeks_ago, topics in ((10, council.topics), (4, council.topics[::-1])):
        starts = (now - datetime.timedelta(weeks=weeks_ago)).replace(hour=19)
        meeting = services.meeting_schedule(
            actor=admin,
            component=component,
            title="Séance plénière du conseil",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place=council.place,
            agenda="\n".join(f"{n}. {topic}" for n, topic in enumerate(topics, 1)),
        )
        services.meeting_publish_minutes(
            actor=admin, meeting=meeting, file=_minutes_pdf(meeting.title, starts.date(), topics)
        )
        services.meeting_record_attendance(
            actor=admin,
            meeting=meeting,
            present=[member.pk for member in seated[:-1]],
            excused=[seated[-1].pk],
            public_attendance=12 + weeks_ago,
        )
    for weeks_ahead, title in ((2, "Séance plénière du conseil"), (6, "Balade urbaine")):
        starts = (now + datetime.timedelta(weeks=weeks_ahead)).replace(hour=19)
        services.meeting_schedule(
            actor=admin,
            component=component,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place=council.place,
            agenda="\n".join(f"{n}. {topic}" for n, topic in enumerate(council.topics, 1)),
        )


def _shops(admin, component, council: DemoCouncil) -> None:
    centre = demo_centre()
    for shop in council.shops:
        north, east = shop.offset
        services.shop_add(
            actor=admin,
            component=component,
            name=shop.name,
            address=shop.address,
            description=shop.text,
            opening_hours=shop.hours,
            latitude=centre[0] + Decimal(north) / 1000 if centre else None,
            longitude=centre[1] + Decimal(east) / 1000 if centre else None,
        )
