from __future__ import annotations

from django.db.models import Max, QuerySet

from accounts.tokens import key_hash

from .models import IntegrationToken, IntegrationTokenUse

USES_SHOWN = 100


def integration_tokens() -> QuerySet[IntegrationToken]:
    """Every token of the town, newest first, with when it was last used (None: never)."""
    return IntegrationToken.objects.select_related("created_by", "revoked_by").annotate(
        last_used_at=Max("uses__at")
    )


def integration_token(token_id: int) -> IntegrationToken:
    return integration_tokens().get(pk=token_id)


def integration_token_uses(token: IntegrationToken) -> QuerySet[IntegrationTokenUse]:
    return token.uses.all()[:USES_SHOWN]


def integration_token_for_key(key: str) -> IntegrationToken | None:
    """The token this key is (revoked and expired ones too: the caller says why it refuses)."""
    return (
        IntegrationToken.objects.select_related("created_by").filter(key_hash=key_hash(key)).first()
    )
