from django.utils.translation import gettext_lazy as _

from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import data, demo, selectors, statistics

register(
    ComponentType(
        key="questions",
        label=_("Questions aux élus"),
        description=_(
            "Les habitants posent leurs questions aux élus ; la collectivité les transmet à un "
            "élu ou à un service, qui répond publiquement dans le délai annoncé."
        ),
        phase_kinds=(
            PhaseKind(
                "questions", _("Questions ouvertes"), frozenset({"ask", "comment", "support"})
            ),
            PhaseKind("answers", _("Réponses seulement"), frozenset({"comment"})),
        ),
        urls="participation.questions.urls",
        backoffice_urls="participation.questions.backoffice_urls",
        api_urls="participation.questions.api_urls",
        card_template="questions/card.html",
        statistics=statistics.questions_statistics,
        seed_demo=demo.questions_seed,
        demo=DemoPlacement(
            Space.Kind.NEIGHBOURHOOD_COUNCIL, "Questions à vos élus", phase="questions", days=365
        ),
        contributions=data.questions_contributions,
        personal_data=data.questions_personal_data,
        map_points=selectors.map_points,
        town_figures=selectors.town_figures,
        default_settings={selectors.TARGET_SETTING: 15},
    )
)
