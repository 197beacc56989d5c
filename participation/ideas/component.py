from django.utils.translation import gettext_lazy as _

from participation.home.blocks import register_key_figure
from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import blueprint, data, demo, exports, home, opendata, selectors, statistics

register(
    ComponentType(
        key="ideas",
        label=_("Appel à idées"),
        description=_(
            "Les habitants déposent leurs idées pour la ville ; les services les analysent, "
            "les recevables peuvent être soumises au vote du budget participatif."
        ),
        phase_kinds=(
            PhaseKind("collect", _("Dépôt des idées"), frozenset({"add", "comment", "support"})),
            PhaseKind("analysis", _("Analyse par les services"), frozenset({"comment"})),
            PhaseKind("results", _("Résultats"), frozenset({"comment"})),
            PhaseKind("follow_up", _("Suivi des réalisations"), frozenset({"comment"})),
        ),
        urls="participation.ideas.urls",
        backoffice_urls="participation.ideas.backoffice_urls",
        api_urls="participation.ideas.api_urls",
        card_template="ideas/card.html",
        open_data=opendata.open_data,
        exports={"csv": exports.proposals_csv},
        statistics=statistics.ideas_statistics,
        seed_demo=demo.ideas_seed,
        demo=DemoPlacement(
            Space.Kind.BUDGET_CAMPAIGN,
            "Vos idées pour la prochaine édition",
            phase="collect",
            days=45,
        ),
        contributions=data.ideas_contributions,
        personal_data=data.ideas_personal_data,
        map_points=selectors.map_points,
        default_settings={"max_proposals_per_person": None},
        blueprint_export=blueprint.blueprint_export,
        blueprint_import=blueprint.blueprint_import,
    )
)
register_key_figure(home.IDEAS_FIGURE)
