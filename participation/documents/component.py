from django.utils.translation import gettext_lazy as _

from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import demo, statistics


def _personal_data(user) -> list:
    from .models import Document

    return [
        {
            "id": document.pk,
            "title": document.title,
            "component_id": document.component_id,
            "created_at": document.created_at.isoformat(),
        }
        for document in Document.objects.filter(uploaded_by=user)
    ]


register(
    ComponentType(
        key="documents",
        label=_("Documents"),
        description=_(
            "Les documents de l'espace (comptes rendus, plans, photos), en PDF ou en image."
        ),
        phase_kinds=(
            PhaseKind("publication", _("Publication"), frozenset({"comment", "support"})),
        ),
        urls="participation.documents.urls",
        backoffice_urls="participation.documents.backoffice_urls",
        api_urls="participation.documents.api_urls",
        card_template="documents/card.html",
        statistics=statistics.documents_statistics,
        seed_demo=demo.documents_seed,
        demo=DemoPlacement(
            Space.Kind.NEIGHBOURHOOD_COUNCIL, "Comptes rendus", phase="publication", days=365
        ),
        personal_data=_personal_data,
    )
)
