from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import Invalid

from .models import LegalPage, SiteTheme

THEME_CACHE_KEY = "theming:site-theme"
LEGAL_LINKS_CACHE_KEY = "theming:legal-links"
THEME_CACHE_SECONDS = 300
# Every page shows the theme and the footer's legal links: each web process keeps them a few
# seconds more in memory rather than ask Redis at every request. A change shows everywhere
# within this delay (at once in the process that made it).
PROCESS_CACHE_SECONDS = 30
_process_cache: dict[tuple[str, str], tuple[float, object]] = {}

T = TypeVar("T")


def _cached(key: str, load: Callable[[], T]) -> T:
    """``load()``, cached per schema: the Redis key function prefixes every key with the
    schema name, the process cache is keyed by it."""
    process_key = (connection.schema_name, key)
    cached = _process_cache.get(process_key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, THEME_CACHE_SECONDS)
    _process_cache[process_key] = (time.monotonic() + PROCESS_CACHE_SECONDS, value)
    return value


def _forget(key: str) -> None:
    cache.delete(key)
    _process_cache.pop((connection.schema_name, key), None)


# Theme


def site_theme() -> SiteTheme:
    """The current town's theme (defaults until the town sets one). Cached."""
    return _cached(
        THEME_CACHE_KEY,
        lambda: SiteTheme.objects.filter(pk=SiteTheme.SINGLETON_ID).first() or SiteTheme(),
    )


def site_theme_forget() -> None:
    """Drop the current town's cached theme (after a change)."""
    _forget(THEME_CACHE_KEY)


def theme_is_set() -> bool:
    """Whether the current town has saved its theme with a logo (go-live checklist)."""
    return SiteTheme.objects.filter(pk=SiteTheme.SINGLETON_ID).exclude(logo="").exists()


# Legal pages


@dataclass(frozen=True)
class LegalLink:
    """A footer link to a published legal page. Cached as data: its words are translated when
    shown, in the visitor's language."""

    kind: str
    conformity: str = ""

    @property
    def label(self) -> str:
        if self.kind == LegalPage.Kind.ACCESSIBILITY:
            # The RGAA wants the status on every page: "Accessibilité : partiellement conforme".
            status = LegalPage.Conformity(self.conformity).label
            return _("Accessibilité : %(status)s") % {"status": status}
        return str(LegalPage.Kind(self.kind).label)

    @property
    def url(self) -> str:
        return reverse(f"legal:{self.kind}")


def kind_checked(kind: str) -> str:
    """``kind`` if it is one of ``LegalPage.Kind``'s values; Invalid otherwise."""
    if kind not in LegalPage.Kind.values:
        raise Invalid(
            _("Page inconnue : « %(kind)s » (possibles : %(kinds)s).")
            % {"kind": kind, "kinds": ", ".join(LegalPage.Kind.values)}
        )
    return kind


def legal_page_is_published(kind: str) -> bool:
    """Whether the current town has published this page (go-live checklist). ``kind`` is one
    of ``LegalPage.Kind``'s values; another raises Invalid."""
    return LegalPage.objects.filter(kind=kind_checked(kind), published_at__isnull=False).exists()


def published_legal_pages() -> QuerySet[LegalPage]:
    return LegalPage.objects.filter(published_at__isnull=False)


def legal_page_for_edit(kind: str) -> LegalPage:
    """The page as saved, or a new blank one of this kind (not saved)."""
    return LegalPage.objects.filter(kind=kind_checked(kind)).first() or LegalPage(kind=kind)


def legal_pages_for_edit() -> list[LegalPage]:
    """Every kind of page, saved or blank, in the order of ``LegalPage.Kind``."""
    saved = {page.kind: page for page in LegalPage.objects.all()}
    return [saved.get(kind) or LegalPage(kind=kind) for kind in LegalPage.Kind.values]


def legal_links() -> list[LegalLink]:
    """The footer's links to the current town's published pages. Cached."""

    def load() -> list[LegalLink]:
        rows = dict(published_legal_pages().values_list("kind", "conformity"))
        return [LegalLink(kind, rows[kind]) for kind in LegalPage.Kind.values if kind in rows]

    return _cached(LEGAL_LINKS_CACHE_KEY, load)


def legal_links_forget() -> None:
    _forget(LEGAL_LINKS_CACHE_KEY)
