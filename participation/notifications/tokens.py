"""One-click unsubscribe links: signed, naming the town's schema, so a link of town A does
nothing on town B (where the same account id may belong to someone else)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db import connection

SALT = "agora.notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    kind: str


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"s": connection.schema_name, "u": user.pk, "k": kind}, salt=SALT)


def unsubscribe_request(token: str) -> UnsubscribeRequest | None:
    """What the token asks for in the current town; None if forged, altered or another town's."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != connection.schema_name:
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return UnsubscribeRequest(user_id=user_id, kind=kind)
