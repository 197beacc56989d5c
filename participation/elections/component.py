from django.utils.translation import gettext_lazy as _

from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import data, demo, selectors
from .models import box_name

register(
    ComponentType(
        key="elections",
        label=_("Élection"),
        description=_(
            "L'élection en ligne d'un conseil de quartier, à bulletin secret : liste "
            "électorale, candidatures, vote, dépouillement publié."
        ),
        phase_kinds=(
            PhaseKind("candidacy", _("Dépôt des candidatures"), frozenset({"apply"})),
            PhaseKind("vote", _("Vote"), frozenset({"vote"})),
            PhaseKind("results", _("Résultats")),
        ),
        urls="participation.elections.urls",
        backoffice_urls="participation.elections.backoffice_urls",
        api_urls="participation.elections.api_urls",
        card_template="elections/card.html",
        statistics=data.statistics,
        personal_data=data.personal_data,
        seed_demo=demo.election_seed,
        # Open in the demo towns' councils: their residents can vote.
        demo=DemoPlacement(
            Space.Kind.NEIGHBOURHOOD_COUNCIL,
            "Élection du conseil de quartier",
            phase="vote",
            days=45,  # after the consultations: the home page lists what closes first
        ),
        secret_boxes_closed=selectors.secret_boxes_closed,
        secret_boxes=lambda component: [box_name(component)],
    )
)
