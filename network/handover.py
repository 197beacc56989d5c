"""The hand-over from a town's back office to the network, without a new sign-in and without
any cookie shared between hosts: the town's host signs a short-lived token naming the town
and the account (``handover_issue``); the platform's host checks it, records its nonce so it
opens one session only, reads the account again in the town's own schema (still active,
still staff) and opens its own session for the member (``handover_consume``)."""

from __future__ import annotations

import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import User
from core.errors import NotAllowed
from tenants.models import Tenant

from .members import member_sync
from .models import HandoverUse, NetworkMember

SALT = "network.handover"
MAX_AGE_SECONDS = 60


def handover_issue(*, tenant: Tenant, user: User) -> str:
    """A token for ``user``, a staff account of ``tenant`` (the views check the permission
    network.enter_network first)."""
    return signing.dumps(
        {"t": tenant.pk, "u": user.pk, "n": secrets.token_urlsafe(24)}, salt=SALT, compress=True
    )


def _refused() -> NotAllowed:
    return NotAllowed(
        _(
            "Ce lien vers le réseau n'est pas valable (expiré, déjà utilisé ou incomplet). "
            "Ouvrez à nouveau le réseau depuis l'espace de gestion de votre collectivité."
        )
    )


def _staff_account(tenant: Tenant, user_id: int) -> User | None:
    """The account in the town's own schema, when it may still enter the network."""
    with schema_context(tenant.schema_name):
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or not user.has_perm("network.enter_network"):
            return None
        return user


def handover_consume(*, token: str) -> NetworkMember:
    """The member the token names, once: NotAllowed when it is forged, older than a minute,
    already used, or names an account that is no longer a served town's staff."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        tenant_id, user_id, nonce = int(payload["t"]), int(payload["u"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise _refused() from exc
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None or tenant.is_platform or not tenant.is_served:
        raise _refused()
    user = _staff_account(tenant, user_id)
    if user is None:
        raise _refused()
    try:
        with transaction.atomic():
            HandoverUse.objects.create(nonce=nonce, tenant=tenant, town_user_id=user_id)
            return member_sync(tenant=tenant, town_user=user)
    except IntegrityError as exc:  # the nonce is already recorded: a replay
        raise _refused() from exc
