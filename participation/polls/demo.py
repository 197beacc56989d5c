from participation.models import Component

from .models import Choice, Poll

DEMO_POLL = (
    "Quel aménagement souhaitez-vous en priorité pour la place du marché ?",
    [
        "Plus d'arbres et d'espaces ombragés",
        "Des bancs et des tables de pique-nique",
        "Une aire de jeux pour les enfants",
        "Des arceaux pour les vélos",
    ],
)


def polls_seed(component: Component) -> None:
    """A demo poll with its choices: answers need residents' accounts, which demo towns do
    not invent."""
    question, labels = DEMO_POLL
    poll = Poll.objects.create(
        component=component,
        question=question,
        kind=Poll.Kind.MULTIPLE,
        max_choices=2,
        results_visibility=Poll.ResultsVisibility.AFTER_ANSWER,
    )
    Choice.objects.bulk_create(
        Choice(poll=poll, label=label, position=position) for position, label in enumerate(labels)
    )
