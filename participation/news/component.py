from django.utils.translation import gettext_lazy as _

from participation.home.blocks import register_block_kind
from participation.models import Space
from participation.registry import ComponentType, DemoPlacement, PhaseKind, register

from . import demo, digest, home, statistics

register(
    ComponentType(
        key="news",
        label=_("Actualités"),
        description=_("Les nouvelles de l'espace, publiées par la collectivité."),
        phase_kinds=(
            PhaseKind("publication", _("Publication"), frozenset({"comment", "support"})),
        ),
        urls="participation.news.urls",
        backoffice_urls="participation.news.backoffice_urls",
        api_urls="participation.news.api_urls",
        card_template="news/card.html",
        statistics=statistics.news_statistics,
        seed_demo=demo.news_seed,
        demo=DemoPlacement(
            Space.Kind.NEIGHBOURHOOD_COUNCIL, "Actualités du conseil", phase="publication", days=365
        ),
        digest_section=digest.news_published,
    )
)
register_block_kind(home.LATEST_NEWS)
