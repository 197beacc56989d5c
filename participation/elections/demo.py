"""Invented content of a demo council's election: the rules (4 seats, parity), the roll
filled with the neighbourhood's verified residents, six candidacies validated by the town, the
vote open (its only phase, as the demo places every module). Everything goes
through the services as the town's staff would do it; the candidacies came on paper to the
town hall (no account), so no demo resident is a candidate and every one may vote."""

from __future__ import annotations

from accounts.models import User
from participation.models import Component

from . import services
from .models import Candidate, Election

SEATS = 4
CANDIDATES = (
    (
        "Sophie Marchand",
        Candidate.Gender.WOMAN,
        "Des trottoirs praticables pour les poussettes "
        "et les fauteuils, et un banc tous les deux cents mètres.",
    ),
    (
        "Karim Haddad",
        Candidate.Gender.MAN,
        "Un jardin partagé derrière l'école et des "
        "ateliers de réparation de vélos le samedi matin.",
    ),
    (
        "Élise Moreau",
        Candidate.Gender.WOMAN,
        "Faire vivre la maison de quartier le soir : "
        "aide aux devoirs, soirées jeux, permanences des associations.",
    ),
    (
        "Julien Roux",
        Candidate.Gender.MAN,
        "Sécuriser la traversée devant le collège et apaiser la circulation rue des Écoles.",
    ),
    (
        "Fatou Ndiaye",
        Candidate.Gender.WOMAN,
        "Un vide-grenier et une fête des voisins chaque année, organisés avec les commerçants.",
    ),
    (
        "Paul Girard",
        Candidate.Gender.MAN,
        "Rendre compte à chaque séance de ce que la ville a fait des demandes du conseil.",
    ),
)


def election_seed(component: Component) -> None:
    admin = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    if admin is None:
        return
    services.election_update(
        actor=admin,
        component=component,
        seats=SEATS,
        parity=True,
        tie_rule=Election.TieRule.LOT,
    )
    if component.space.neighbourhood_id is not None:
        services.roll_add_residents(actor=admin, component=component)
    for name, gender, statement in CANDIDATES:
        candidate = Candidate.objects.create(
            component=component, name=name, gender=gender, statement=statement
        )
        services.candidacy_decide(actor=admin, candidate=candidate, validated=True)
