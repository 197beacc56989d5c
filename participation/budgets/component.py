from django.utils.translation import gettext_lazy as _

from participation.home.blocks import register_key_figure
from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import blueprint, data, demo, exports, home, opendata, secret, selectors, statistics, votes

register(
    ComponentType(
        key="budgets",
        label=_("Budget participatif"),
        description=_(
            "Des projets chiffrés, une enveloppe : les habitants votent, le budget est réparti."
        ),
        phase_kinds=(
            PhaseKind("vote", _("Vote"), frozenset({"vote", "comment"})),
            PhaseKind("results", _("Résultats"), frozenset({"comment"})),
        ),
        urls="participation.budgets.urls",
        backoffice_urls="participation.budgets.backoffice_urls",
        api_urls="participation.budgets.api_urls",
        card_template="budgets/card.html",
        open_data=opendata.open_data,
        exports={"csv": exports.budgets_results_csv},
        statistics=statistics.budgets_statistics,
        seed_demo=demo.budgets_seed,
        demo=DemoPlacement(
            Space.Kind.BUDGET_CAMPAIGN,
            "Votez pour les projets de votre quartier",
            phase="vote",
            days=21,
        ),
        contributions=data.budgets_contributions,
        personal_data=data.budgets_personal_data,
        vote_receiver=votes.receiver,
        map_points=selectors.map_points,
        blueprint_export=blueprint.blueprint_export,
        blueprint_import=blueprint.blueprint_import,
        secret_boxes_closed=secret.boxes_closed,
        secret_boxes=secret.component_boxes,
    )
)
register_key_figure(home.VOTES_FIGURE)
