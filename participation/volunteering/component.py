from django.utils.translation import gettext_lazy as _

from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import data, demo, exports, opendata

register(
    ComponentType(
        key="volunteering",
        label=_("Bénévolat"),
        description=_(
            "Annuaire des associations, missions de bénévolat, agenda, mise en relation des "
            "bénévoles et des associations."
        ),
        phase_kinds=(PhaseKind("open", _("Ouvert"), frozenset({"apply"})),),
        urls="participation.volunteering.urls",
        backoffice_urls="participation.volunteering.backoffice_urls",
        api_urls="participation.volunteering.api_urls",
        card_template="volunteering/card.html",
        open_data=opendata.open_data,
        exports={"csv": exports.agenda_csv},
        seed_demo=demo.volunteering_seed,
        demo=DemoPlacement(Space.Kind.VOLUNTEERING_HUB, "Bénévolat", phase="open", days=365),
        personal_data=data.volunteering_personal_data,
    )
)
