"""The demo towns' hub: a dozen associations, each with a mission, a few events, and the demo
residents as volunteers."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from participation.models import Component

from .models import Association, Event, Membership, Mission, VolunteerProfile

ASSOCIATIONS = [
    ("Restos du cœur – antenne locale", "solidarite", "Distribution de repas", "logistique"),
    ("Secours populaire", "solidarite", "Collecte alimentaire au supermarché", "accueil"),
    ("Club de football des Marnes", "sport", "Buvette du tournoi des jeunes", "cuisine"),
    ("Les Amis de la médiathèque", "culture", "Lectures pour les tout-petits", "animation"),
    ("Jardins partagés du Vert-Bois", "environnement", "Chantier compost", "jardinage"),
    ("Coup de pouce scolaire", "education", "Aide aux devoirs", "soutien-scolaire"),
    ("Croix-Rouge – unité locale", "sante", "Tenue du poste de secours", "accueil"),
    ("Maison des jeunes", "jeunesse", "Atelier vidéo", "informatique"),
    ("Comité des fêtes", "loisirs", "Montage du marché de Noël", "bricolage"),
    ("Repair café", "environnement", "Réparer les petits appareils", "bricolage"),
    ("Transport solidaire", "solidarite", "Accompagner des aînés aux rendez-vous", "transport"),
    ("Festival des Bords de Marne", "culture", "Accueil des festivaliers un week-end", "accueil"),
]


def volunteering_seed(component: Component) -> None:
    now = timezone.now()
    staff = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    for index, (name, category, mission, skill) in enumerate(ASSOCIATIONS):
        association = Association.objects.create(
            name=name,
            slug=f"demo-association-{index + 1}",
            description=f"{name} : une association de la ville, qui accueille toutes les bonnes "
            "volontés, habitants ou non.",
            categories=[category],
            status=Association.Status.VALIDATED,
            validated_at=now,
        )
        if staff is not None and index == 0:
            Membership.objects.create(
                association=association, user=staff, role=Membership.Role.MANAGER
            )
        starts = now + datetime.timedelta(days=3 + index * 2, hours=9 - now.hour)
        Mission.objects.create(
            component=component,
            association=association,
            title=mission,
            description=f"{mission}. Aucune expérience demandée : nous vous accompagnons.",
            skills=[skill],
            schedule=Mission.Schedule.WEEKEND if index % 4 == 3 else Mission.Schedule.ONE_OFF,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=4),
            place="Salle des associations",
            places=2 + index % 4,
        )
        if index % 3 == 0:
            Event.objects.create(
                component=component,
                association=association,
                title=f"Portes ouvertes · {name}",
                description="Venez découvrir l'association et ses bénévoles.",
                category=category,
                starts_at=starts + datetime.timedelta(days=1),
                ends_at=starts + datetime.timedelta(days=1, hours=3),
                place="Salle des associations",
                capacity=30,
            )
    Event.objects.create(
        component=component,
        title="Forum des associations",
        description="Toutes les associations de la ville réunies, organisé par la mairie.",
        starts_at=now + datetime.timedelta(days=20),
        ends_at=now + datetime.timedelta(days=20, hours=6),
        place="Gymnase municipal",
    )
    for user in User.objects.filter(role=User.Role.CITIZEN).order_by("pk")[:5]:
        VolunteerProfile.objects.get_or_create(
            user=user,
            defaults={
                "skills": ["accueil", "logistique"],
                "availability": ["sam-matin", "dim-matin"],
                "bio": "Disponible le week-end pour un coup de main.",
            },
        )
