"""Invented proposals of a demo town: categories, neighbourhoods when the town has some,
statuses and their public timeline. Demo towns invent no residents' accounts."""

from decimal import Decimal

from participation.models import Component, Neighbourhood

from .models import Category, Proposal, ProposalStatusChange

Status = Proposal.Status

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
    for index, (title, description, category, address, cost, path, reason) in enumerate(
        DEMO_PROPOSALS
    ):
        proposal = Proposal.objects.create(
            component=component,
            title=title,
            description=description,
            category=categories[category],
            neighbourhood=neighbourhoods[index % len(neighbourhoods)] if neighbourhoods else None,
            address=address,
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
