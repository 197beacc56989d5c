"""Accounts: sign-up, e-mail verification, invitations. Each works in the current schema, so
a resident of one town has no account in another."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.contributions import ensure_contributions_open
from core.errors import Conflict, Invalid
from core.hosts import current_town_url

from .emails import email_send_on_commit
from .models import User
from .tokens import email_verification_tokens, password_reset_tokens

DISPLAY_NAME_MAX_LENGTH = 80


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Invalid(
            _("L'adresse e-mail « %(email)s » n'est pas valide.") % {"email": email[:80]}
        ) from exc
    return email


def _clean_display_name(display_name: str) -> str:
    display_name = " ".join((display_name or "").split())
    if not display_name:
        raise Invalid(_("Le nom affiché est obligatoire."))
    if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise Invalid(
            _("Le nom affiché compte %(length)d caractères : %(max)d au plus.")
            % {"length": len(display_name), "max": DISPLAY_NAME_MAX_LENGTH}
        )
    return display_name


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages)) from exc


def account_link(user: User, url_name: str, token: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    # The towns' urlconf even when called during a console request (a town created by the
    # console's wizard invites its administrator, with Celery eager in tests and development).
    path = reverse(url_name, args=[uidb64, token], urlconf=settings.ROOT_URLCONF)
    return current_town_url(path)


def user_from_uidb64(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


def citizen_register(*, email: str, password: str, display_name: str) -> User:
    """Create a resident's account (unverified) and send the verification e-mail."""
    ensure_contributions_open()
    email = _clean_email(email)
    display_name = _clean_display_name(display_name)
    candidate = User(email=email, display_name=display_name)
    _check_password(password, candidate)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("Un compte existe déjà avec cette adresse e-mail."))
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, display_name=display_name)
            email_verification_send(user=user)
    except IntegrityError as exc:  # the same address signed up at the same moment
        raise Conflict(_("Un compte existe déjà avec cette adresse e-mail.")) from exc
    return user


def email_verification_send(*, user: User) -> None:
    link = account_link(user, "accounts:verify_email", email_verification_tokens.make_token(user))
    email_send_on_commit(
        to=user.email,
        subject=_("%(town)s : confirmez votre adresse e-mail") % {"town": connection.tenant.name},
        template="accounts/emails/verify_email.txt",
        context={"user": user, "link": link, "town": connection.tenant},
    )


def email_verify(*, uidb64: str, token: str) -> User:
    user = user_from_uidb64(uidb64)
    if user is None or not email_verification_tokens.check_token(user, token):
        raise Invalid(
            _("Ce lien de confirmation n'est pas valide ou a expiré. Demandez-en un nouveau.")
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def password_reset_link(user: User) -> str:
    return account_link(
        user, "accounts:password_reset_confirm", password_reset_tokens.make_token(user)
    )


def staff_invite(*, email: str, display_name: str, role: str) -> tuple[User, str]:
    """Create a town staff account without a password and e-mail a one-time link to set it.
    Returns the account and the link (printed by `create_town` for the operator)."""
    if role not in (User.Role.ADMIN, User.Role.MODERATOR):
        raise Invalid(_("Rôle inconnu pour une invitation : « %(role)s ».") % {"role": role})
    email = _clean_email(email)
    display_name = _clean_display_name(display_name)
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            email=email, defaults={"display_name": display_name, "role": role}
        )
        if created:
            user.set_unusable_password()
        user.role = role
        # The invitation reached the address: it counts as verified.
        user.email_verified_at = user.email_verified_at or timezone.now()
        user.save()
        link = password_reset_link(user)
        email_send_on_commit(
            to=user.email,
            subject=_("%(town)s : votre accès à la plateforme de participation")
            % {"town": connection.tenant.name},
            template="accounts/emails/invitation.txt",
            context={"user": user, "link": link, "town": connection.tenant},
        )
    return user, link
