"""Signing in with an identity provider (FranceConnect, or the town's own for its staff): what
the checked claims (accounts.oidc) do to accounts. A known identity opens its account; a
signed-in resident links one; a new resident gets an account with a verified address. What
FranceConnect proves is kept as eligibility facts only (identity verified, year of birth),
never the names; the engine hears of it through ``identity_verified``.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Invalid, NotAllowed, NotFound

from .models import IdentityLink, IdentityProvider, User

# Sent with ``user`` once a provider proved its identity facts (verified_birth_year…).
identity_verified = Signal()


def enabled_provider(provider_id: int) -> IdentityProvider:
    provider = IdentityProvider.objects.filter(pk=provider_id, enabled=True).first()
    if provider is None:
        raise NotFound(_("Ce moyen de connexion n'est pas proposé par la collectivité."))
    return provider


def sign_in_providers(*, staff: bool = False) -> list[IdentityProvider]:
    """The providers the sign-in page offers (the staff's only where staff sign in)."""
    providers = IdentityProvider.objects.filter(enabled=True)
    return list(providers if staff else providers.filter(staff_only=False))


def _birth_year(claims: dict) -> int | None:
    try:
        return datetime.date.fromisoformat(str(claims.get("birthdate", ""))).year
    except ValueError:
        return None


def _facts_record(user: User, provider: IdentityProvider, info: dict) -> None:
    if provider.kind != IdentityProvider.Kind.FRANCECONNECT:
        return
    user.identity_verified_at = timezone.now()
    user.verified_birth_year = _birth_year(info) or user.verified_birth_year
    user.save(update_fields=["identity_verified_at", "verified_birth_year"])
    transaction.on_commit(lambda: identity_verified.send(sender=User, user=user))


def _new_resident(provider: IdentityProvider, info: dict) -> User:
    if provider.staff_only:
        raise NotAllowed(
            _("Ce moyen de connexion est réservé à l'équipe : liez-le depuis votre compte.")
        )
    email = str(info.get("email", "")).strip()
    if not email:
        raise Invalid(_("Le fournisseur d'identité n'a pas transmis d'adresse e-mail."))
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(
            _(
                "Un compte existe déjà avec l'adresse %(email)s : connectez-vous avec votre mot "
                "de passe, puis liez %(provider)s depuis « Mon compte »."
            )
            % {"email": email, "provider": provider.name}
        )
    # The address is the provider's, verified by it; the display name is not a name claim.
    return User.objects.create_user(
        email,
        None,
        display_name=email.split("@")[0][:80],
        email_verified_at=timezone.now(),
    )


def identity_sign_in(
    *, provider: IdentityProvider, subject: str, info: dict, current: User | None
) -> User:
    """The account this identity opens: its linked one; else the signed-in ``current`` one,
    linked now; else a new resident's. Refused: an identity linked to another account than
    ``current``, a staff-only provider for a resident."""
    try:
        with transaction.atomic():
            link = (
                IdentityLink.objects.select_for_update()
                .select_related("user")
                .filter(provider=provider, subject=subject)
                .first()
            )
            if link is not None:
                user = link.user
                if current is not None and current.pk != user.pk:
                    raise Conflict(_("Cette identité est déjà liée à un autre compte."))
            else:
                user = current if current is not None else _new_resident(provider, info)
                if provider.staff_only and not user.is_town_staff:
                    raise NotAllowed(_("Ce moyen de connexion est réservé à l'équipe."))
                link = IdentityLink.objects.create(user=user, provider=provider, subject=subject)
            if not user.is_active:
                raise NotAllowed(_("Ce compte est désactivé."))
            link.last_used_at = timezone.now()
            link.save(update_fields=["last_used_at"])
            _facts_record(user, provider, info)
    except IntegrityError as exc:  # linked at the same moment, or a second link for one account
        raise Conflict(_("Ce compte est déjà lié à un autre compte de ce fournisseur.")) from exc
    return user


@transaction.atomic
def identity_unlink(*, user: User, provider_id: int) -> None:
    """Unlink; refused when it would leave the account with no way in (no password)."""
    deleted, _rows = IdentityLink.objects.filter(user=user, provider_id=provider_id).delete()
    if not deleted:
        raise NotFound(_("Ce compte n'est pas lié à ce fournisseur."))
    if not user.has_usable_password() and not user.identity_links.exists():
        raise Invalid(
            _("Choisissez d'abord un mot de passe : sans lui ni identité liée, plus d'accès.")
        )


FRANCECONNECT_SCOPES = "openid email given_name family_name birthdate"


# Registered by theming.rules (the town's administrators), checked here too so that any caller
# meets the same check as the page.
PROVIDER_PERMISSION = "theming.change_identityprovider"


def identity_provider_save(
    *,
    actor: User,
    provider: IdentityProvider | None,
    kind: str,
    name: str,
    environment: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    staff_only: bool,
    enabled: bool,
) -> IdentityProvider:
    """Create or change a provider of the town. An empty secret keeps the saved one (the page
    never shows it back); a provider of the town's own needs its issuer's address. Only the
    town's administrators."""
    if not actor.has_perm(PROVIDER_PERMISSION):
        raise NotAllowed(_("Seuls les administrateurs de la collectivité gèrent la connexion."))
    if kind not in IdentityProvider.Kind.values:
        raise Invalid(_("Type de fournisseur inconnu."), field="kind")
    if environment not in IdentityProvider.Environment.values:
        raise Invalid(_("Environnement inconnu."), field="environment")
    if kind == IdentityProvider.Kind.OIDC and not issuer:
        raise Invalid(_("Indiquez l'adresse de l'émetteur du fournisseur."), field="issuer")
    if not client_id.strip():
        raise Invalid(_("Indiquez l'identifiant client."), field="client_id")
    if provider is None and not client_secret:
        raise Invalid(_("Indiquez le secret client."), field="client_secret")
    provider = provider or IdentityProvider()
    provider.kind, provider.environment = kind, environment
    provider.name = name.strip() or IdentityProvider.Kind(kind).label
    provider.issuer, provider.client_id = issuer.strip(), client_id.strip()
    provider.client_secret = client_secret or provider.client_secret
    provider.scopes = (
        FRANCECONNECT_SCOPES if kind == IdentityProvider.Kind.FRANCECONNECT else "openid email"
    )
    # FranceConnect is for residents; a town's own directory is for its staff.
    provider.staff_only = staff_only and kind == IdentityProvider.Kind.OIDC
    provider.enabled = enabled
    provider.save()
    return provider
