"""An invented participatory budget of a demo town: 10 000 € for each neighbourhood (one
town-wide envelope when the town has none), three projects in each, with their pictures
(``demo_images/``, CC0). No ballots: they need residents."""

from pathlib import Path

from participation.demo import demo_picture
from participation.models import Component, Neighbourhood

from . import page_cache
from .models import Budget, Project

IMAGES = Path(__file__).resolve().parent / "demo_images"
AMOUNT_PER_NEIGHBOURHOOD = 10_000

# Three projects per neighbourhood, in the order of the demo's neighbourhoods:
# (title, cost in euros, description, picture, what the picture shows).
DEMO_PROJECTS = [
    [
        (
            "Des bancs et une fontaine à eau place du marché",
            6_500,
            "Deux bancs en chêne et une fontaine à eau potable pour faire une pause à l'ombre.",
            "projet-1.webp",
            "Deux bancs en bois et une fontaine à eau sur une place.",
        ),
        (
            "Une prairie fleurie au square Jean-Moulin",
            3_000,
            "Semer des fleurs locales à la place de la pelouse tondue : abeilles bienvenues.",
            "projet-2.webp",
            "Une prairie de fleurs de toutes les couleurs.",
        ),
        (
            "Une boîte à livres devant la mairie",
            1_500,
            "Une petite bibliothèque de rue, fabriquée par le lycée professionnel.",
            "projet-3.webp",
            "Une bibliothèque de rue remplie de livres.",
        ),
    ],
    [
        (
            "Des jeux pour les petits au parc du Nord",
            8_000,
            "Une balançoire double et un toboggan pour les enfants de 2 à 8 ans.",
            "projet-4.webp",
            "Une balançoire double et un toboggan dans un parc.",
        ),
        (
            "Un verger partagé près de l'école",
            4_500,
            "Douze arbres fruitiers plantés et entretenus avec les élèves.",
            "projet-5.webp",
            "Des pommiers chargés de fruits rouges.",
        ),
        (
            "Des arceaux à vélos à la gare",
            2_500,
            "Vingt places de vélo abritées devant la gare.",
            "projet-6.webp",
            "Des vélos garés à des arceaux.",
        ),
    ],
    [
        (
            "L'éclairage du boulodrome",
            6_000,
            "Deux lampadaires basse consommation pour jouer les soirs d'été.",
            "projet-7.webp",
            "Deux lampadaires éclairent un terrain de pétanque le soir.",
        ),
        (
            "Un panier de basket au city-stade",
            3_500,
            "Un second panier et le marquage du terrain refait.",
            "projet-8.webp",
            "Un terrain de sport avec un panier de basket.",
        ),
        (
            "Un frigo solidaire à la maison des associations",
            2_000,
            "Un réfrigérateur partagé où commerçants et habitants déposent les invendus du jour.",
            "projet-9.webp",
            "Un réfrigérateur partagé et des fruits posés à côté.",
        ),
    ],
]


def _projects(budget: Budget, projects) -> list[Project]:
    return [
        Project(
            budget=budget,
            title=title,
            cost=cost,
            description=description,
            image=demo_picture(IMAGES / picture, alt=alt),
            position=position,
        )
        for position, (title, cost, description, picture, alt) in enumerate(projects)
    ]


def budgets_seed(component: Component) -> None:
    neighbourhoods = list(Neighbourhood.objects.all()[: len(DEMO_PROJECTS)])
    common = {
        "component": component,
        "ballot_rule": Budget.BallotRule.APPROVAL,
        "min_projects": 1,
        "max_projects": 2,
    }
    projects = []
    if neighbourhoods:
        for position, (neighbourhood, listed) in enumerate(
            zip(neighbourhoods, DEMO_PROJECTS, strict=False)
        ):
            budget = Budget.objects.create(
                title=f"Quartier {neighbourhood.name}",
                description=("10 000 € pour les projets du quartier : choisissez-en un ou deux."),
                amount=AMOUNT_PER_NEIGHBOURHOOD,
                neighbourhood=neighbourhood,
                position=position,
                **common,
            )
            projects += _projects(budget, listed)
    else:
        budget = Budget.objects.create(
            title="Budget participatif de la ville",
            amount=AMOUNT_PER_NEIGHBOURHOOD * len(DEMO_PROJECTS),
            **common,
        )
        projects = _projects(budget, [p for listed in DEMO_PROJECTS for p in listed])
    Project.objects.bulk_create(projects)
    page_cache.forget_budgets()  # bulk_create sends no signal
