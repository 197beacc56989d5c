from django.utils.translation import gettext_lazy as _

from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import blueprint, data, demo, exports, opendata, statistics

register(
    ComponentType(
        key="polls",
        label=_("Sondages"),
        description=_("Des questions à choix unique ou multiple, une réponse par compte."),
        phase_kinds=(
            PhaseKind("answer", _("Réponses"), frozenset({"answer", "comment"})),
            PhaseKind("results", _("Résultats"), frozenset({"comment"})),
        ),
        urls="participation.polls.urls",
        backoffice_urls="participation.polls.backoffice_urls",
        api_urls="participation.polls.api_urls",
        card_template="polls/card.html",
        open_data=opendata.open_data,
        exports={"csv": exports.polls_results_csv},
        statistics=statistics.polls_statistics,
        seed_demo=demo.polls_seed,
        demo=DemoPlacement(Space.Kind.CONSULTATION, "Sondage express", phase="answer", days=30),
        contributions=data.polls_contributions,
        personal_data=data.polls_personal_data,
        blueprint_export=blueprint.blueprint_export,
        blueprint_import=blueprint.blueprint_import,
    )
)
