"""Invented proposals of a demo town: categories, neighbourhoods when the town has some,
statuses and their public timeline. Demo towns invent no residents' accounts."""

from decimal import Decimal
from pathlib import Path

from participation.demo import demo_centre, demo_picture
from participation.models import Component, Neighbourhood

from .models import Category, Proposal, ProposalStatusChange

Status = Proposal.Status

IMAGES = Path(__file__).resolve().parent / "demo_images"
# For each of DEMO_PROPOSALS: its picture and what it shows (None: no picture), and where the
# idea is from the town's centre in degrees of latitude and longitude (None: no place given).
PICTURES = (
    (
        ("idee-1.webp", "Des vélos attachés à des arceaux sur un parvis."),
        (Decimal("0.0021"), Decimal("-0.0034")),
    ),
    (
        ("idee-2.webp", "Des pommiers chargés de fruits rouges dans un parc."),
        (Decimal("-0.0042"), Decimal("0.0051")),
    ),
    (
        ("idee-3.webp", "Une petite bibliothèque de rue pleine de livres colorés."),
        (Decimal("0.0008"), Decimal("0.0012")),
    ),
    (None, None),
    (
        ("idee-4.webp", "Deux lampadaires éclairent un terrain de pétanque le soir."),
        (Decimal("0.0055"), Decimal("0.0023")),
    ),
    (
        ("idee-5.webp", "Un réfrigérateur partagé et des fruits posés à côté."),
        (Decimal("-0.0015"), Decimal("-0.0060")),
    ),
)

CATEGORIES = ("Cadre de vie", "Mobilités", "Environnement", "Solidarité", "Sport et loisirs")

# title, description, category, address, cost, path of statuses, public reason of the last
DEMO_PROPOSALS = (
    (
        "Des arceaux à vélos devant la médiathèque",
        "Les vélos sont attachés aux grilles faute de place. Une dizaine d'arceaux couverts "
        "devant l'entrée rendraient service aux familles et aux lycéens.",
        "Mobilités",
        "Parvis de la médiathèque",
        Decimal("4500"),
        (Status.SUBMITTED, Status.UNDER_ANALYSIS, Status.ELIGIBLE),
        "Projet réalisable sur le domaine communal ; coût confirmé par les services techniques.",
    ),
    (
        "Un verger partagé au parc des Tilleuls",
        "Planter une vingtaine d'arbres fruitiers en accès libre, entretenus avec les écoles "
        "et l'association de quartier.",
        "Environnement",
        "Parc des Tilleuls, pelouse nord",
        Decimal("12000"),
        (Status.SUBMITTED, Status.UNDER_ANALYSIS),
        "",
    ),
    (
        "Une boîte à livres près de l'arrêt de bus Mairie",
        "Une petite bibliothèque de rue pour échanger des livres en attendant le bus.",
        "Cadre de vie",
        "Arrêt de bus Mairie",
        Decimal("800"),
        (Status.SUBMITTED,),
        "",
    ),
    (
        "Élargir la route départementale",
        "Ajouter une voie de circulation sur la départementale aux heures de pointe.",
        "Mobilités",
        "",
        None,
        (Status.SUBMITTED, Status.UNDER_ANALYSIS, Status.INELIGIBLE),
        "La route départementale relève du Département, pas de la commune : l'idée a été "
        "transmise au conseil départemental.",
    ),
    (
        "Un terrain de pétanque éclairé",
        "Installer deux éclairages basse consommation au boulodrome pour jouer les soirs d'été.",
        "Sport et loisirs",
        "Boulodrome municipal",
        Decimal("6000"),
        (Status.SUBMITTED,),
        "",
    ),
    (
        "Un frigo solidaire à la maison des associations",
        "Un réfrigérateur partagé où commerçants et habitants déposent les invendus du jour.",
        "Solidarité",
        "Maison des associations",
        Decimal("2500"),
        (Status.SUBMITTED, Status.UNDER_ANALYSIS, Status.ELIGIBLE),
        "",
    ),
)


def ideas_seed(component: Component) -> None:
    categories = {
        name: Category.objects.create(component=component, name=name, position=position)
        for position, name in enumerate(CATEGORIES)
    }
    neighbourhoods = list(Neighbourhood.objects.all())
    centre = demo_centre()
    for index, (title, description, category, address, cost, path, reason) in enumerate(
        DEMO_PROPOSALS
    ):
        picture, offset = PICTURES[index]
        latitude = longitude = None
        if centre is not None and offset is not None:
            latitude, longitude = centre[0] + offset[0], centre[1] + offset[1]
        proposal = Proposal.objects.create(
            component=component,
            title=title,
            description=description,
            category=categories[category],
            neighbourhood=neighbourhoods[index % len(neighbourhoods)] if neighbourhoods else None,
            address=address,
            latitude=latitude,
            longitude=longitude,
            image=demo_picture(IMAGES / picture[0], alt=picture[1]) if picture else None,
            estimated_cost=cost,
            status=path[-1],
            ineligibility_reason=reason if path[-1] == Status.INELIGIBLE else "",
            assigned_service="Services techniques" if len(path) > 1 else "",
        )
        previous = ""
        for step, status in enumerate(path):
            ProposalStatusChange.objects.create(
                proposal=proposal,
                from_status=previous,
                to_status=status,
                reason=reason if step == len(path) - 1 else "",
            )
            previous = status
