"""The network's own identity of the people who meet there: a town's staff member, refreshed
from their town account at each hand-over, or a vendor staff account of the console."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict
from tenants.models import Tenant

from .models import NetworkMember


def _free_handle(name: str, town: str) -> str:
    base = slugify(f"{name} {town}")[:50].strip("-") or "membre"
    handle, suffix = base, 2
    while NetworkMember.objects.filter(handle=handle).exists():
        handle, suffix = f"{base}-{suffix}", suffix + 1
    return handle


def member_sync(
    *, tenant: Tenant | None = None, town_user: User | None = None, vendor_user: User | None = None
) -> NetworkMember:
    """The member of a town account (``tenant`` and ``town_user``, read in that town's
    schema) or of a vendor staff account, made on first entry, with the name, role and
    e-mail of the account as they are now."""
    account = town_user if town_user is not None else vendor_user
    lookup = (
        {"tenant": tenant, "town_user_id": town_user.pk}
        if town_user is not None
        else {"vendor_user": vendor_user}
    )
    fields = {
        "display_name": account.display_name or account.email.split("@")[0],
        "role": account.role,
        "email": account.email,
        "seen_at": timezone.now(),
    }
    town = tenant.slug if tenant is not None else "agora"
    # Two first entries at once (a double click): the second's insert fails on a unique
    # constraint; it then finds the row the first made, and updates it.
    for _attempt in range(3):
        try:
            with transaction.atomic():
                member = NetworkMember.objects.select_for_update().filter(**lookup).first()
                if member is None:
                    return NetworkMember.objects.create(
                        **lookup, **fields, handle=_free_handle(fields["display_name"], town)
                    )
                for name, value in fields.items():
                    setattr(member, name, value)
                member.save(update_fields=list(fields))
                return member
        except IntegrityError:
            continue
    raise Conflict(_("Votre entrée dans le réseau a croisé une autre : réessayez."))
