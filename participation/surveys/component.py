from django.utils.translation import gettext_lazy as _

from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import blueprint, demo, exports, opendata, statistics

register(
    ComponentType(
        key="surveys",
        label=_("Questionnaires"),
        description=_(
            "Des questionnaires en plusieurs parties : choix, classements, échelles, tableaux, "
            "nombres, dates et réponses libres, avec des questions conditionnelles."
        ),
        phase_kinds=(
            PhaseKind("answer", _("Réponses"), frozenset({"answer", "comment"})),
            PhaseKind("results", _("Résultats")),
        ),
        urls="participation.surveys.urls",
        backoffice_urls="participation.surveys.backoffice_urls",
        api_urls="participation.surveys.api_urls",
        card_template="surveys/card.html",
        open_data=opendata.open_data,
        exports={"csv": exports.component_csv, "xlsx": exports.component_xlsx},
        statistics=statistics.survey_statistics,
        seed_demo=demo.survey_seed,
        demo=DemoPlacement(Space.Kind.CONSULTATION, "Questionnaire", phase="answer", days=30),
        contributions=statistics.contributions,
        personal_data=statistics.personal_data,
        blueprint_export=blueprint.blueprint_export,
        blueprint_import=blueprint.blueprint_import,
    )
)
