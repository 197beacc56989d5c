from django.utils.translation import gettext_lazy as _

from participation.registry import ComponentType, PhaseKind, register

from . import data, selectors

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
        secret_boxes_closed=selectors.secret_boxes_closed,
    )
)
