"""Web push notifications, alongside the e-mails: a resident opts in on each browser, and the
kinds that matter at once (a reply, an answer about one's idea) reach them there too. Sent by
a Celery task per notification, signed with the platform's VAPID key, encrypted for each
browser (pywebpush); a subscription the push service no longer knows is forgotten."""

from __future__ import annotations

import base64
import binascii
import json
import logging
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from accounts.models import User
from core.errors import Invalid
from participation.models import Profile

from .kinds import kind_of
from .models import PushSubscription

logger = logging.getLogger(__name__)

# How long the push service keeps a message for a phone that is off: a reply is still news a
# day later, hardly a week later.
TIME_TO_LIVE = 60 * 60 * 24
TIMEOUT_SECONDS = 10
# What the push service answers for a subscription that no longer exists.
GONE = (404, 410)


def push_is_configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def _key_bytes(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Record (or take over) this browser's subscription for ``user``."""
    parts = urlsplit(endpoint or "")
    if parts.scheme != "https" or not parts.hostname or len(endpoint) > 1000:
        raise Invalid(_("L'adresse du service de notification n'est pas valide."))
    public_key, secret = _key_bytes(p256dh or ""), _key_bytes(auth or "")
    # A P-256 public key, uncompressed (65 bytes from 0x04), and a 16-byte secret (RFC 8291).
    if not public_key or len(public_key) != 65 or public_key[0] != 4 or not secret:
        raise Invalid(_("Les clés de ce navigateur ne sont pas valides."))
    if len(secret) != 16:
        raise Invalid(_("Les clés de ce navigateur ne sont pas valides."))
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def push_unsubscribe(*, user: User, endpoint: str) -> int:
    """Forget this browser's subscription (only one's own). Returns how many were removed."""
    deleted, _detail = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted


def push_wanted(user: User | None, kind: str) -> bool:
    """Whether a notification of ``kind`` goes to ``user``'s browsers too: a kind that is worth
    it, an active account, the kind switched on, and at least one browser subscribed."""
    if user is None or not user.is_active or not kind_of(kind).push or not push_is_configured():
        return False
    field = kind_of(kind).field
    try:
        wanted = bool(getattr(user.profile, field))
    except Profile.DoesNotExist:
        wanted = Profile._meta.get_field(field).default
    return wanted and PushSubscription.objects.filter(user=user).exists()


def push_send_on_commit(*, user: User, title: str, body: str, url: str) -> None:
    """Queue the notification for ``user``'s browsers once the transaction commits."""
    from .tasks import push_send

    payload = json.dumps({"title": title, "body": body, "url": url}, ensure_ascii=False)
    transaction.on_commit(lambda: push_send.delay(user_id=user.pk, payload=payload))


def push_deliver(*, user_id: int, payload: str) -> int:
    """POST the encrypted payload to each of the account's subscriptions; those the push
    service says are gone are deleted. Returns the number delivered."""
    delivered = 0
    for subscription in PushSubscription.objects.filter(user_id=user_id):
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=payload,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                # pywebpush adds "aud" and "exp" to this dict: a fresh one for each endpoint.
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=TIME_TO_LIVE,
                timeout=TIMEOUT_SECONDS,
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in GONE:
                subscription.delete()
            else:
                _log_failure(subscription, exc)
            continue
        except requests.RequestException as exc:
            _log_failure(subscription, exc)
            continue
        delivered += 1
    return delivered


def _log_failure(subscription: PushSubscription, error: Exception) -> None:
    # One browser's push service failing does not stop the others'; the e-mail went anyway.
    host = urlsplit(subscription.endpoint).hostname
    logger.warning("web push to %s failed: %s", host, error)
