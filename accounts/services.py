"""Accounts: sign-up, e-mail verification, invitations. Each works in the current schema, so
a resident of one town has no account in another."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
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
from core.errors import Conflict, Invalid, NotFound
from core.hosts import current_town_url
from core.ratelimit import rate_limit

from .emails import email_send_on_commit
from .models import ApiToken, TeamRole, User
from .roles import role_summary, roles_forget
from .tokens import email_verification_tokens, key_hash, password_reset_tokens

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


def citizen_register(*, email: str, password: str, display_name: str) -> User | None:
    """Create a resident's account (unverified) and send the verification e-mail; return it.

    An address that already has an account gets an e-mail saying so (with the way to sign in
    or reset the password) and None is returned: the page answers the same in both cases, so
    sign-up cannot tell anyone which addresses have an account."""
    ensure_contributions_open()
    rate_limit("sign_up")
    email = _clean_email(email)
    display_name = _clean_display_name(display_name)
    candidate = User(email=email, display_name=display_name)
    _check_password(password, candidate)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, password, display_name=display_name)
                email_verification_send(user=user)
            return user
        except IntegrityError:  # the same address signed up at the same moment
            existing = User.objects.filter(email__iexact=email).first()
    # As long as a creation (the password hash is the slow part): no answer by its timing.
    make_password(password)
    if existing is not None:
        _account_exists_send(user=existing)
    return None


def _account_exists_send(*, user: User) -> None:
    email_send_on_commit(
        to=user.email,
        subject=_("%(town)s : vous avez déjà un compte") % {"town": connection.tenant.name},
        template="accounts/emails/account_exists.txt",
        context={
            "user": user,
            "login": current_town_url(reverse("accounts:login", urlconf=settings.ROOT_URLCONF)),
            "reset": current_town_url(
                reverse("accounts:password_reset", urlconf=settings.ROOT_URLCONF)
            ),
            "town": connection.tenant,
        },
    )


def email_verification_send(*, user: User) -> None:
    link = account_link(user, "accounts:verify_email", email_verification_tokens.make_token(user))
    email_send_on_commit(
        to=user.email,
        subject=_("%(town)s : confirmez votre adresse e-mail") % {"town": connection.tenant.name},
        template="accounts/emails/verify_email.txt",
        context={"user": user, "link": link, "town": connection.tenant},
    )


def email_verification_resend(*, user: User) -> None:
    """Another verification e-mail, asked for by its owner (a few an hour at most)."""
    rate_limit("email_verification", account=user.pk)
    if not user.is_email_verified:
        email_verification_send(user=user)


def password_reset_request(*, email: str) -> None:
    """E-mail a reset link to the account of ``email``, if there is one: the page says the
    same either way. Counted per address typed and per client, whether it exists or not."""
    email = (email or "").strip().lower()
    rate_limit("password_reset", address=email)
    for user in User.objects.filter(email__iexact=email, is_active=True):
        email_send_on_commit(
            to=user.email,
            subject=_("%(town)s : réinitialisation de votre mot de passe")
            % {"town": connection.tenant.name},
            template="accounts/emails/password_reset.txt",
            context={"user": user, "link": password_reset_link(user), "town": connection.tenant},
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


def team_account_create(*, email: str, display_name: str, password: str) -> User:
    """The account of a colleague accepting an invitation sent to ``email``: the link reached
    the address, so it counts as verified."""
    email = _clean_email(email)
    user = User(email=email, display_name=_clean_display_name(display_name))
    _check_password(password, user)
    user.set_password(password)
    user.email_verified_at = timezone.now()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise Conflict(_("Un compte existe déjà avec cette adresse : connectez-vous.")) from exc
    return user


def team_roles_set(*, user: User, kinds) -> User:
    """Give ``user`` exactly the team roles ``kinds`` (none: back to a resident's account),
    and the summary ``User.role`` they make. The caller checks who may, and holds the lock."""
    kinds = set(kinds)
    unknown = kinds - set(TeamRole.Kind.values)
    if unknown:
        raise Invalid(_("Rôle inconnu : « %(role)s ».") % {"role": sorted(unknown)[0]})
    TeamRole.objects.filter(user=user).exclude(kind__in=kinds).delete()
    held = set(TeamRole.objects.filter(user=user).values_list("kind", flat=True))
    TeamRole.objects.bulk_create([TeamRole(user=user, kind=kind) for kind in kinds - held])
    user.role = role_summary(kinds)
    user.save(update_fields=["role"])
    roles_forget(user)
    return user


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
        team_roles_set(user=user, kinds={role})
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


# --- API tokens ----------------------------------------------------------------------------

API_TOKEN_NAME_MAX_LENGTH = 80


def api_key_hash(key: str) -> str:
    """What is stored of a key, and looked up (accounts.authentication, budgets' API)."""
    return key_hash(key)


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new key for ``user``, valid API_TOKEN_LIFETIME_DAYS days (a few an hour at most,
    from the API or the account page). Returns the token and the key itself, shown once:
    only its hash is stored."""
    rate_limit("api_token", account=user.pk)
    name = " ".join((name or "").split())[:API_TOKEN_NAME_MAX_LENGTH]
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        key_hash=api_key_hash(key),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    return token, key


def api_token_obtain(*, user: User) -> tuple[ApiToken, str]:
    """A key asked for by signing in to the API (``/api/v1/auth/token/``): each call makes a
    new key (the old ones are not readable)."""
    return api_token_create(user=user, name=_("Connexion à l'API"))


def api_token_user(*, key: str) -> User | None:
    """The active account whose unexpired, unrevoked token this key is; None otherwise."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=api_key_hash(key or ""), expires_at__gt=now, user__is_active=True)
        .first()
    )
    return token.user if token is not None else None


def api_token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of ``user``'s own tokens (another's is not found)."""
    deleted, _details = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound(_("Ce jeton n'existe pas ou a déjà été révoqué."))


def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _details = ApiToken.objects.filter(user=user).delete()
    return deleted


def password_set(*, user: User, password: str) -> None:
    """A new password (already validated by the form): every API token of the account stops
    working with the old one, as its sessions do (Django's session hash)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        api_tokens_revoke_all(user=user)
