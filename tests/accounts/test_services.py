"""accounts.services and the User model, called directly in a town's schema."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from accounts import services
from accounts.models import User
from accounts.tokens import email_verification_tokens, password_reset_tokens
from core.errors import ApplicationError, NotAllowed
from tenants.models import Tenant
from tests.accounts.helpers import only_link_in_last_email, path_of
from tests.factories import UserFactory

GOOD_PASSWORD = "Une-phrase-secrete-2026"


def _uid_and_token(link: str) -> tuple[str, str]:
    uidb64, token = path_of(link).rstrip("/").split("/")[-2:]
    return uidb64, token


def test_citizen_register_creates_an_unverified_citizen_and_mails_a_link(
    town_a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with tenant_context(town_a), django_capture_on_commit_callbacks(execute=True):
        user = services.citizen_register(
            email="  Lea.Martin@Exemple.FR ", password=GOOD_PASSWORD, display_name="  Léa   M. "
        )

    assert user.email == "lea.martin@exemple.fr"
    assert user.display_name == "Léa M."
    assert user.role == User.Role.CITIZEN
    assert user.email_verified_at is None
    assert user.check_password(GOOD_PASSWORD)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea.martin@exemple.fr"]
    assert "Léa M." in mail.outbox[0].body
    assert only_link_in_last_email().startswith("http://ville-a.localhost/compte/confirmer/")


def test_citizen_register_sends_nothing_when_the_transaction_rolls_back(
    town_a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with tenant_context(town_a), django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.citizen_register(
                    email="annule@exemple.fr", password=GOOD_PASSWORD, display_name="Annulé"
                )
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
        assert not User.objects.filter(email="annule@exemple.fr").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "pas-une-adresse"}, "n'est pas valide"),
        ({"display_name": "   "}, "Le nom affiché est obligatoire."),
        ({"display_name": "x" * 81}, "81 caractères : 80 au plus"),
        ({"password": "court"}, "trop court"),
        ({"password": "48213957302"}, "entièrement numérique"),
    ],
)
def test_citizen_register_refuses_bad_input(town_a, fields, message):
    with tenant_context(town_a):
        UserFactory(email="deja@exemple.fr")
        before = User.objects.count()
        arguments = {
            "email": "nouveau@exemple.fr",
            "password": GOOD_PASSWORD,
            "display_name": "Nouveau",
            **fields,
        }
        with pytest.raises(ApplicationError, match=message):
            services.citizen_register(**arguments)
        assert User.objects.count() == before


def test_citizen_register_is_refused_while_the_town_is_read_only(town_a):
    town_a.status = Tenant.Status.READ_ONLY
    with tenant_context(town_a):
        with pytest.raises(NotAllowed, match="lecture seule"):
            services.citizen_register(
                email="nouveau@exemple.fr", password=GOOD_PASSWORD, display_name="Nouveau"
            )
        assert not User.objects.filter(email="nouveau@exemple.fr").exists()


def test_email_verify_sets_the_date_once(town_a, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with tenant_context(town_a):
        with django_capture_on_commit_callbacks(execute=True):
            user = services.citizen_register(
                email="lea@exemple.fr", password=GOOD_PASSWORD, display_name="Léa"
            )
        uidb64, token = _uid_and_token(only_link_in_last_email())

        verified = services.email_verify(uidb64=uidb64, token=token)

        assert verified.pk == user.pk
        assert User.objects.get(pk=user.pk).email_verified_at is not None
        with pytest.raises(ApplicationError, match="n'est pas valide ou a expiré"):
            services.email_verify(uidb64=uidb64, token=token)


def test_email_verification_token_survives_a_login(town_a):
    """Sign-up logs the resident in right after making the link: it must still work."""
    from django.contrib.auth.models import update_last_login

    with tenant_context(town_a):
        user = UserFactory(email_verified_at=None, last_login=None)
        token = email_verification_tokens.make_token(user)
        update_last_login(None, user)
        user.refresh_from_db()
        assert user.last_login is not None
        assert email_verification_tokens.check_token(user, token)


def test_email_verify_refuses_garbage(town_a):
    with tenant_context(town_a):
        user = UserFactory(email_verified_at=None)
        for uidb64, token in (("", ""), ("@@", "x-y"), ("MTIzNDU2Nzg5", "abc-def")):
            with pytest.raises(ApplicationError):
                services.email_verify(uidb64=uidb64, token=token)
        # A password-reset token is not an e-mail verification token.
        reset_token = password_reset_tokens.make_token(user)
        link = services.account_link(user, "accounts:verify_email", reset_token)
        with pytest.raises(ApplicationError):
            services.email_verify(uidb64=_uid_and_token(link)[0], token=reset_token)
        assert User.objects.get(pk=user.pk).email_verified_at is None


def test_tokens_of_one_town_are_refused_in_another(town_a, town_b):
    with tenant_context(town_a):
        user_a = UserFactory(email_verified_at=None)
        verify_token = email_verification_tokens.make_token(user_a)
        reset_token = password_reset_tokens.make_token(user_a)
        assert email_verification_tokens.check_token(user_a, verify_token)
        assert password_reset_tokens.check_token(user_a, reset_token)
    with tenant_context(town_b):
        assert not email_verification_tokens.check_token(user_a, verify_token)
        assert not password_reset_tokens.check_token(user_a, reset_token)


def test_staff_invite_admin_gets_an_unusable_password_and_an_invitation(
    town_a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with tenant_context(town_a), django_capture_on_commit_callbacks(execute=True):
        user, link = services.staff_invite(
            email="Maire@Ville-A.fr", display_name="Madame la Maire", role=User.Role.ADMIN
        )

    assert user.email == "maire@ville-a.fr"
    assert user.role == User.Role.ADMIN
    assert user.is_town_staff
    assert not user.has_usable_password()
    assert user.email_verified_at is not None
    assert link.startswith("http://ville-a.localhost/compte/mot-de-passe/nouveau/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maire@ville-a.fr"]
    assert "Ville A" in mail.outbox[0].subject
    assert link in mail.outbox[0].body
    uidb64, token = _uid_and_token(link)
    with tenant_context(town_a):
        assert services.user_from_uidb64(uidb64).pk == user.pk
        assert password_reset_tokens.check_token(user, token)


def test_staff_invite_of_an_existing_citizen_promotes_without_touching_the_password(
    town_a, django_capture_on_commit_callbacks
):
    with tenant_context(town_a):
        citizen = UserFactory(email="elu@exemple.fr", email_verified_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            user, _link = services.staff_invite(
                email="elu@exemple.fr", display_name="Élu", role=User.Role.MODERATOR
            )
        assert user.pk == citizen.pk
        assert User.objects.count() == 1
        user.refresh_from_db()
        assert user.role == User.Role.MODERATOR
        assert user.has_usable_password()
        assert user.email_verified_at is not None


@pytest.mark.parametrize("role", [User.Role.CITIZEN, User.Role.VENDOR_STAFF, "superuser", ""])
def test_staff_invite_refuses_unknown_roles(town_a, role, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with tenant_context(town_a), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ApplicationError, match="Rôle inconnu"):
            services.staff_invite(email="x@exemple.fr", display_name="X", role=role)
        assert not User.objects.filter(email="x@exemple.fr").exists()
    assert mail.outbox == []


def test_has_perm_is_false_without_a_rule(town_a):
    with tenant_context(town_a):
        citizen = UserFactory()
        admin = UserFactory(role=User.Role.ADMIN)
        for user in (citizen, admin):
            assert user.has_perm("participation.delete_everything") is False
            assert user.has_perm("accounts.change_user", citizen) is False
            assert user.has_perms(["participation.delete_everything"]) is False
        assert citizen.has_perms([]) is True


def test_inactive_account_has_no_permission_at_all(town_a):
    import rules

    rules.add_perm("tests.always", rules.always_allow)
    try:
        with tenant_context(town_a):
            active = UserFactory()
            inactive = UserFactory(is_active=False)
            assert active.has_perm("tests.always") is True
            assert inactive.has_perm("tests.always") is False
    finally:
        rules.remove_perm("tests.always")


def test_email_is_stored_lower_case(town_a):
    with tenant_context(town_a):
        user = User.objects.create_user("Mixed.Case@Exemple.FR", GOOD_PASSWORD, display_name="M")
        assert User.objects.get(pk=user.pk).email == "mixed.case@exemple.fr"
        assert User.objects.get_by_natural_key("MIXED.case@exemple.fr").pk == user.pk


def test_database_refuses_two_addresses_differing_only_by_case(town_a):
    with tenant_context(town_a):
        UserFactory(email="double@exemple.fr")
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(email="Double@Exemple.fr", display_name="D", password="!")
