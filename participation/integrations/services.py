"""Creating and revoking the town's integration tokens (its administrators), and logging their
uses."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tokens import key_hash
from core.errors import Conflict, Invalid, NotFound
from participation.services import ensure_perm

from .models import IntegrationToken, IntegrationTokenUse
from .scopes import unknown_scopes

KEY_PREFIX = "agi_"
NAME_MAX_LENGTH = 80
MAX_LIFETIME_DAYS = 366


def integration_token_create(
    *, actor: User, name: str, scopes: list[str], expires_on: datetime.date
) -> tuple[IntegrationToken, str]:
    """A new token, valid until the end of ``expires_on`` (at most a year ahead). Returns it
    and its key, shown once: only the key's hash is kept."""
    ensure_perm(actor, "integrations.manage_tokens")
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(_("Donnez un nom au jeton (l'outil qui s'en sert)."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise Invalid(
            _("Le nom fait au plus %(max)d caractères.") % {"max": NAME_MAX_LENGTH}, field="name"
        )
    scopes = sorted(set(scopes or ()))
    if not scopes:
        raise Invalid(_("Choisissez au moins une portée."), field="scopes")
    if unknown_scopes(scopes):
        raise Invalid(
            _("Portée inconnue : %(scopes)s.") % {"scopes": ", ".join(unknown_scopes(scopes))},
            field="scopes",
        )
    today = timezone.localdate()
    if not today <= expires_on <= today + datetime.timedelta(days=MAX_LIFETIME_DAYS):
        raise Invalid(
            _("La date d'expiration est à choisir entre aujourd'hui et dans un an."),
            field="expires_on",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = IntegrationToken.objects.create(
        name=name,
        prefix=key[:12],
        key_hash=key_hash(key),
        scopes=scopes,
        created_by=actor,
        expires_at=timezone.make_aware(
            datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
        ),
    )
    return token, key


def integration_token_revoke(*, actor: User, token_id: int) -> IntegrationToken:
    ensure_perm(actor, "integrations.manage_tokens")
    with transaction.atomic():
        token = IntegrationToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None:
            raise NotFound(_("Ce jeton n'existe pas."))
        if token.revoked_at is not None:
            raise Conflict(_("Ce jeton est déjà révoqué."))
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def integration_token_use_record(
    *, token: IntegrationToken, method: str, path: str, status_code: int
) -> IntegrationTokenUse:
    """One insert per request made with a token (participation.integrations.middleware)."""
    return IntegrationTokenUse.objects.create(
        token=token, method=method[:10], path=path[:300], status_code=status_code
    )


def integration_token_uses_purge(*, now: datetime.datetime | None = None) -> int:
    """Deletes the usage log's rows older than INTEGRATION_USE_RETENTION_DAYS (run daily, in
    each town: CELERY_BEAT_SCHEDULE); returns how many. The log says which requests a token
    made, for the town to check its integrations: it is not kept for ever."""
    now = now or timezone.now()
    oldest = now - datetime.timedelta(days=settings.INTEGRATION_USE_RETENTION_DAYS)
    deleted, _by_model = IntegrationTokenUse.objects.filter(at__lt=oldest).delete()
    return deleted
