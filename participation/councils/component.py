from django.utils.translation import gettext_lazy as _

from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import data, demo, exports, selectors

register(
    ComponentType(
        key="councils",
        label=_("Conseil de quartier"),
        description=_(
            "La vitrine d'un conseil de quartier : ses membres, ses réunions et leurs comptes "
            "rendus, les commerces du quartier sur la carte."
        ),
        # A showcase: nothing to contribute, the phase only dates the publication.
        phase_kinds=(PhaseKind("publication", _("Publication"), frozenset()),),
        urls="participation.councils.urls",
        backoffice_urls="participation.councils.backoffice_urls",
        api_urls="participation.councils.api_urls",
        card_template="councils/card.html",
        exports={"meetings_csv": exports.meetings_csv, "shops_csv": exports.shops_csv},
        statistics=data.council_statistics,
        seed_demo=demo.council_seed,
        demo=DemoPlacement(
            Space.Kind.NEIGHBOURHOOD_COUNCIL,
            "Le conseil de quartier",
            phase="publication",
            days=365,
        ),
        personal_data=data.council_personal_data,
        map_points=selectors.map_points,
    )
)
