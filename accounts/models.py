import functools
import operator

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import _user_has_perm
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """An account. In a town's schema: a resident or the town's staff. In the public schema:
    the platform's own (vendor) staff. The two never meet: each schema has its own table."""

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Citoyen")
        MODERATOR = "moderator", _("Modérateur")
        ADMIN = "admin", _("Administrateur de la collectivité")
        # A member of the town's team whose roles (TeamRole) are neither admin nor moderator.
        STAFF = "staff", _("Équipe de la collectivité")
        VENDOR_STAFF = "vendor_staff", _("Équipe Agora")

    email = models.EmailField(_("adresse e-mail"), max_length=254, unique=True)
    display_name = models.CharField(_("nom affiché"), max_length=80)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    is_active = models.BooleanField(_("actif"), default=True)
    email_verified_at = models.DateTimeField(_("e-mail vérifié le"), null=True, blank=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # What an identity provider (FranceConnect) proved, kept as the eligibility facts alone:
    # that the person is who they say, and their year of birth (an age), never their names.
    identity_verified_at = models.DateTimeField(_("identité vérifiée le"), null=True, blank=True)
    verified_birth_year = models.PositiveSmallIntegerField(
        _("année de naissance vérifiée"), null=True, blank=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("compte")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_town_staff(self) -> bool:
        """A member of the town's team, whatever their roles (accounts.roles says which)."""
        return self.role in (self.Role.MODERATOR, self.Role.ADMIN, self.Role.STAFF)

    @property
    def is_vendor_staff(self) -> bool:
        return self.role == self.Role.VENDOR_STAFF

    # Permissions come from django-rules predicates, not from permission tables.
    def has_perm(self, perm: str, obj=None) -> bool:
        return self.is_active and _user_has_perm(self, perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)


class ApiToken(models.Model):
    """A key to the town's API, for one account. Only the key's SHA-256 is kept: a copy of the
    database gives no usable key (the key is random, 256 bits: a fast hash is enough, unlike
    a password). It stops working at ``expires_at``, when its owner revokes it, when the
    account's password changes or is reset, and with the account (cascade)."""

    user = models.ForeignKey(
        User, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=80, blank=True)
    # The key's first characters, shown in the list so that its owner recognises it.
    prefix = models.CharField(_("début de la clé"), max_length=8)
    key_hash = models.CharField(_("empreinte de la clé"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))

    class Meta:
        verbose_name = _("jeton d'API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


class IdentityProvider(models.Model):
    """An OpenID Connect provider a town lets people sign in with: FranceConnect for residents,
    or the town's own (Keycloak, Azure AD) for its staff. The client id and secret are the
    town's own, kept in its schema: no other town can use them."""

    class Kind(models.TextChoices):
        FRANCECONNECT = "franceconnect", _("FranceConnect")
        OIDC = "oidc", _("Fournisseur OpenID Connect de la collectivité")

    class Environment(models.TextChoices):
        INTEGRATION = "integration", _("Intégration (tests)")
        PRODUCTION = "production", _("Production")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom affiché"), max_length=80)
    environment = models.CharField(
        _("environnement"),
        max_length=20,
        choices=Environment.choices,
        default=Environment.INTEGRATION,
    )
    # The issuer's URL: FranceConnect's comes from the environment (settings), unless set here.
    issuer = models.URLField(_("adresse de l'émetteur (issuer)"), blank=True)
    client_id = models.CharField(_("identifiant client"), max_length=200)
    client_secret = models.CharField(_("secret client"), max_length=500)
    scopes = models.CharField(_("portées"), max_length=300, default="openid email")
    staff_only = models.BooleanField(_("réservé à l'équipe de la collectivité"), default=False)
    enabled = models.BooleanField(_("activé"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("fournisseur d'identité")

    def __str__(self) -> str:
        return self.name


class IdentityLink(models.Model):
    """An account's identity at a provider (its ``sub``): signing in with it opens the account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identity_links")
    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="links")
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identité liée")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identity_link_once"),
            models.UniqueConstraint(fields=["provider", "user"], name="identity_link_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.user}"


_TEAM_ROLE_KINDS = ("admin", "space_manager", "moderator", "analyst", "paper_agent", "official")


class TeamRole(models.Model):
    """One role of a member of the town's team; a person holds several. The scope of a scoped
    role is kept where the engine keeps it: a space manager's spaces in ``Space.moderators``,
    an analyst's service in ``MunicipalService.members``, an official's in
    ``Official.account``. ``User.role`` stays the account's summary (admin, moderator, other
    staff or citizen), kept in step by the team's services (participation.team)."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Administrateur")
        SPACE_MANAGER = "space_manager", _("Responsable d'espaces")
        MODERATOR = "moderator", _("Modérateur")
        ANALYST = "analyst", _("Analyste d'un service municipal")
        PAPER_AGENT = "paper_agent", _("Agent de saisie des bulletins papier")
        OFFICIAL = "official", _("Élu")

    user = models.ForeignKey(
        User, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="team_roles"
    )
    kind = models.CharField(_("rôle"), max_length=20, choices=Kind.choices)
    granted_at = models.DateTimeField(_("accordé le"), default=timezone.now)

    class Meta:
        verbose_name = _("rôle dans l'équipe")
        ordering = ["user_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="teamrole_one_per_kind"),
            # OR-ed equalities, not IN: a cloned schema keeps the same text of the constraint
            # as a migrated one (tests/tenants/test_fast_clone.py).
            models.CheckConstraint(
                condition=functools.reduce(
                    operator.or_, (models.Q(kind=kind) for kind in _TEAM_ROLE_KINDS)
                ),
                name="teamrole_known_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
