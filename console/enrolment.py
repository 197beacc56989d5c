"""Enrolling a staff member's authenticator without trust on first use: only through a
one-time link that another staff member e-mails from the console, or that the operator prints
with ``./agora manage console_enrolment_link EMAIL``. A staff account with a password but no
confirmed device reaches no console page (console.access)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.emails import email_send_on_commit
from accounts.models import User
from accounts.tokens import key_hash, one_time_key
from core.errors import Invalid, NotAllowed
from core.hosts import console_url

from .audit import audit_record
from .models import EnrolmentLink
from .otp import totp_enrol_confirm

INVALID_LINK = gettext_lazy(
    "Ce lien d'activation n'est pas valide : il a expiré, a déjà servi ou a été remplacé par un "
    "plus récent. Demandez-en un nouveau à un autre membre de l'équipe."
)


def enrolment_link_create(
    *, user: User, created_by: User | None = None, request: HttpRequest | None = None
) -> str:
    """A new link for ``user`` (vendor staff), replacing any unused one; returns its URL.
    ``created_by`` None: the operator's command line."""
    if not (user.is_active and user.is_vendor_staff):
        raise Invalid(_("Seuls les comptes actifs de l'équipe Agora accèdent à la console."))
    if created_by is not None and created_by.pk == user.pk:
        raise NotAllowed(
            _("Un autre membre de l'équipe doit vous envoyer ce lien : pas vous-même.")
        )
    key, hashed = one_time_key()
    with transaction.atomic():
        EnrolmentLink.objects.filter(user=user, used_at__isnull=True).delete()
        EnrolmentLink.objects.create(
            user=user,
            key_hash=hashed,
            created_by=created_by,
            expires_at=timezone.now()
            + datetime.timedelta(hours=settings.CONSOLE_ENROLMENT_LINK_HOURS),
        )
        audit_record(
            actor=created_by,
            action="console.enrolment_link",
            details={"for": user.email},
            request=request,
        )
    path = reverse("console:otp_enrol", args=[key], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    return console_url(path)


def enrolment_link_send(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """E-mail a new link to ``user``, from another staff member's verified session."""
    link = enrolment_link_create(user=user, created_by=actor, request=request)
    email_send_on_commit(
        to=user.email,
        subject=_("Console Agora : activez votre double authentification"),
        template="console/emails/enrolment_link.txt",
        context={
            "user": user,
            "actor": actor,
            "link": link,
            "hours": settings.CONSOLE_ENROLMENT_LINK_HOURS,
        },
    )


def enrolment_link_check(*, key: str, user: User, lock: bool = False) -> EnrolmentLink:
    """The link of ``key`` if it is ``user``'s, unused and unexpired; else Invalid."""
    links = EnrolmentLink.objects.select_for_update() if lock else EnrolmentLink.objects
    link = links.filter(
        key_hash=key_hash(key), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if link is None or link.user_id != user.pk:
        raise Invalid(str(INVALID_LINK))
    return link


def enrolment_confirm(*, request: HttpRequest, key: str, token: str) -> TOTPDevice:
    """The first code of the device shown by the link's page: the device is confirmed, the
    link spent, the session verified."""
    with transaction.atomic():
        link = enrolment_link_check(key=key, user=request.user, lock=True)
        device = totp_enrol_confirm(request=request, token=token)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return device
