"""The kinds of e-mails a resident can switch on or off, each backed by a Profile flag."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    field: str  # the boolean field of participation.models.Profile
    label: str | Promise  # what the resident switches on or off
    # Also sent as a web push notification to the browsers the resident subscribed: what is
    # worth knowing at once (an answer to oneself), not the periodic news.
    push: bool = False


REPLIES = "replies"
MODERATION = "moderation"
PHASES = "phases"
DIGEST = "digest"

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(REPLIES, "notify_replies", _("Réponses à mes commentaires"), push=True),
        Kind(MODERATION, "notify_moderation", _("Modération de mes contributions"), push=True),
        Kind(PHASES, "notify_phases", _("Ouverture d'une phase dans un espace que je suis")),
        Kind(DIGEST, "notify_digest", _("Lettre hebdomadaire des espaces que je suis")),
    )
}


def kind_of(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError as exc:
        raise ValueError(f"unknown notification kind {key!r}") from exc
