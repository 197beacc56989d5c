"""The news module's block of the town's homepage: the latest posts of the published spaces,
offered to the engine's homepage registry (the engine never imports this module)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.home.blocks import BlockKind
from participation.models import HomeBlock, Space
from participation.registry import registry

from .models import NewsPost


def latest_news(block: HomeBlock) -> dict:
    posts = (
        NewsPost.objects.filter(
            component__space__status=Space.Status.PUBLISHED, published_at__lte=timezone.now()
        )
        .filter(registry.live_q("component__"))
        .select_related("component__space")
        .order_by("-published_at", "-pk")[: block.limit]
    )
    return {"posts": list(posts)}


LATEST_NEWS = BlockKind(
    "news",
    _("Dernières actualités"),
    _("Les actualités récentes de tous les espaces publiés."),
    "news/home_block.html",
    fields=("title", "limit"),
    context=latest_news,
    module="news",
)
