"""The kinds of block the engine fills itself; registered when the engine's app is ready
(``ParticipationConfig.ready``), before the modules add theirs."""

from django.utils.translation import gettext_lazy as _

from . import selectors
from .blocks import BlockKind, register_block_kind

for kind in (
    BlockKind(
        "hero",
        _("Bandeau d'accueil"),
        _("Une grande image, un titre, un texte court et un bouton vers ce qui compte."),
        "home/blocks/hero.html",
        fields=("title", "text", "image", "link"),
        required=("title",),
    ),
    BlockKind(
        "spaces",
        _("Espaces mis en avant"),
        _("Les espaces choisis, ou à défaut les derniers publiés."),
        "home/blocks/spaces.html",
        fields=("title", "spaces", "limit"),
        context=selectors.highlighted_spaces,
    ),
    BlockKind(
        "consultations",
        _("Participations en cours"),
        _("Ce qui est ouvert maintenant, avec sa date limite."),
        "home/blocks/consultations.html",
        fields=("title", "limit"),
        context=selectors.running_now,
    ),
    BlockKind(
        "figures",
        _("Chiffres clés"),
        _("Participants, idées déposées, votes."),
        "home/blocks/figures.html",
        fields=("title",),
        context=selectors.figures,
    ),
    BlockKind(
        "map",
        _("Carte des idées et des projets"),
        _("Les idées et projets situés, sur une carte et en liste."),
        "home/blocks/map.html",
        fields=("title",),
    ),
    BlockKind(
        "events",
        _("À venir"),
        _("Les prochaines étapes et dates limites."),
        "home/blocks/events.html",
        fields=("title", "limit"),
        context=selectors.upcoming,
    ),
    BlockKind(
        "text",
        _("Texte libre"),
        _("Quelques paragraphes (le texte est affiché tel quel, sans mise en forme HTML)."),
        "home/blocks/text.html",
        fields=("title", "text", "link"),
        required=("text",),
    ),
):
    register_block_kind(kind)
