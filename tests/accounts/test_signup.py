"""Sign-up on a town's site: the account lives in that town's schema only."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from tests.accounts.helpers import host_of, only_link_in_last_email, page_text, path_of
from tests.conftest import client_for
from tests.factories import UserFactory

SIGNUP = "/compte/inscription/"
VALID = {
    "display_name": "Camille Habitante",
    "email": "Camille.Habitante@Exemple.fr",
    "password": "Une-phrase-secrete-2026",
}


def _accounts_with(email: str, tenant) -> int:
    with tenant_context(tenant):
        return User.objects.filter(email__iexact=email).count()


def _public_accounts_with(email: str) -> int:
    with schema_context(get_public_schema_name()):
        return User.objects.filter(email__iexact=email).count()


def _signup(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SIGNUP, {**VALID, **overrides})


def test_signup_form_is_rendered_in_french(town_a):
    response = client_for(town_a).get(SIGNUP)

    assert response.status_code == 200
    text = page_text(response)
    assert "Créer un compte" in text
    assert "Nom affiché" in text
    assert "Adresse e-mail" in text
    assert "Mot de passe" in text
    assert 'name="display_name"' in text
    assert 'name="email"' in text
    assert 'name="password"' in text


def test_signup_creates_an_unverified_citizen_in_the_town_only(
    town_a, town_b, django_capture_on_commit_callbacks
):
    client = client_for(town_a)
    mail.outbox.clear()

    response = _signup(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/envoyee/"
    with tenant_context(town_a):
        user = User.objects.get(email="camille.habitante@exemple.fr")
        assert user.role == User.Role.CITIZEN
        assert user.display_name == "Camille Habitante"
        assert user.email_verified_at is None
        assert user.is_active
        assert user.password.startswith("argon2")
    assert _accounts_with(VALID["email"], town_b) == 0
    assert _public_accounts_with(VALID["email"]) == 0

    # Not signed in: that would tell whether the address was new (see the test below).
    assert "_auth_user_id" not in client.session
    assert "Un e-mail de confirmation vient de vous être envoyé" in page_text(
        client.get(response["Location"])
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille.habitante@exemple.fr"]
    assert "Ville A" in message.subject
    link = only_link_in_last_email()
    assert link.startswith("http://ville-a.localhost/compte/confirmer/")
    assert host_of(link) == "ville-a.localhost"


def test_verification_link_confirms_the_address_once(town_a, django_capture_on_commit_callbacks):
    client = client_for(town_a)
    mail.outbox.clear()
    _signup(client, django_capture_on_commit_callbacks)
    path = path_of(only_link_in_last_email())

    first = client.get(path)

    assert first.status_code == 302
    assert first["Location"] == "/compte/"
    with tenant_context(town_a):
        user = User.objects.get(email="camille.habitante@exemple.fr")
        assert user.email_verified_at is not None
        verified_at = user.email_verified_at
    assert "Adresse e-mail confirmée" in page_text(client.get("/compte/"))

    second = client.get(path)

    assert second.status_code == 400
    assert "Ce lien de confirmation n'est pas valide ou a expiré" in page_text(second)
    with tenant_context(town_a):
        assert User.objects.get(pk=user.pk).email_verified_at == verified_at


def test_verification_link_works_when_signed_out(town_a, django_capture_on_commit_callbacks):
    client = client_for(town_a)
    mail.outbox.clear()
    _signup(client, django_capture_on_commit_callbacks)
    path = path_of(only_link_in_last_email())

    browser = client_for(town_a)  # another browser, not signed in
    response = browser.get(path)

    # The link came to the address's owner: it signs them in.
    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    with tenant_context(town_a):
        user = User.objects.get(email="camille.habitante@exemple.fr")
        assert user.is_email_verified
    assert browser.session["_auth_user_id"] == str(user.pk)
    assert "Adresse e-mail confirmée" in page_text(browser.get("/compte/"))


def test_verification_link_of_town_a_is_refused_on_town_b(
    town_a, town_b, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    _signup(client_for(town_a), django_capture_on_commit_callbacks)
    path = path_of(only_link_in_last_email())
    with tenant_context(town_a):
        user_a = User.objects.get(email="camille.habitante@exemple.fr")
    # Town B has an account with the same id and the same address: only the schema differs.
    with tenant_context(town_b):
        user_b = UserFactory(
            pk=user_a.pk, email=user_a.email, display_name="Homonyme", email_verified_at=None
        )

    response = client_for(town_b).get(path)

    assert response.status_code == 400
    assert "Ce lien de confirmation n'est pas valide ou a expiré" in page_text(response)
    with tenant_context(town_b):
        assert User.objects.get(pk=user_b.pk).email_verified_at is None
    with tenant_context(town_a):
        assert User.objects.get(pk=user_a.pk).email_verified_at is None


def test_tampered_verification_link_is_refused(town_a, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    client = client_for(town_a)
    _signup(client, django_capture_on_commit_callbacks)
    path = path_of(only_link_in_last_email())
    uidb64, token = path.rstrip("/").split("/")[-2:]

    for bad_path in (
        f"/compte/confirmer/{uidb64}/{token[:-1]}x/",
        f"/compte/confirmer/@@@/{token}/",
        f"/compte/confirmer/OTk5OTk5/{token}/",
    ):
        response = client.get(bad_path)
        assert response.status_code == 400, bad_path
        assert "n'est pas valide" in page_text(response)
    with tenant_context(town_a):
        assert not User.objects.get(email="camille.habitante@exemple.fr").is_email_verified


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"display_name": ""}, "Ce champ est obligatoire."),
        ({"display_name": "   "}, "Ce champ est obligatoire."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide."),
        ({"email": ""}, "Ce champ est obligatoire."),
        ({"password": "Ab3-xy"}, "Ce mot de passe est trop court."),
        ({"password": "48213957302"}, "Ce mot de passe est entièrement numérique."),
        ({"password": "motdepasse"}, "Ce mot de passe est trop courant."),
        ({"password": ""}, "Ce champ est obligatoire."),
        ({"display_name": "x" * 81}, "au plus 80 caractères"),
    ],
    ids=[
        "empty-name",
        "blank-name",
        "invalid-email",
        "empty-email",
        "short-password",
        "numeric-password",
        "common-password",
        "empty-password",
        "long-name",
    ],
)
def test_bad_signup_input_is_refused_with_a_french_message(
    town_a, django_capture_on_commit_callbacks, overrides, message
):
    mail.outbox.clear()
    with tenant_context(town_a):
        before = User.objects.count()

    response = _signup(client_for(town_a), django_capture_on_commit_callbacks, **overrides)

    assert response.status_code == 400
    assert message in page_text(response)
    with tenant_context(town_a):
        assert User.objects.count() == before
    assert mail.outbox == []
    assert "_auth_user_id" not in response.wsgi_request.session


def test_signup_with_an_address_already_used_answers_the_same_and_mails_its_owner(
    town_a, django_capture_on_commit_callbacks
):
    with tenant_context(town_a):
        owner = UserFactory(email="habitant@exemple.fr")
        before = User.objects.count()
    mail.outbox.clear()
    new = _signup(client_for(town_a), django_capture_on_commit_callbacks, email="neuf@exemple.fr")

    known = _signup(
        client_for(town_a), django_capture_on_commit_callbacks, email="Habitant@Exemple.fr"
    )

    # The same answer as for a new address: nothing tells that this one has an account.
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert "_auth_user_id" not in known.wsgi_request.session
    with tenant_context(town_a):
        assert User.objects.count() == before + 1  # the new address only
        assert User.objects.get(email="habitant@exemple.fr").password == owner.password
    # The owner is told, with the ways in; the other address got its confirmation link.
    assert [m.to for m in mail.outbox] == [["neuf@exemple.fr"], ["habitant@exemple.fr"]]
    told = mail.outbox[-1].body
    assert "Vous y avez déjà un compte" in told
    assert "http://ville-a.localhost/compte/connexion/" in told
    assert "http://ville-a.localhost/compte/mot-de-passe/oublie/" in told


def test_the_same_address_may_sign_up_in_another_town(
    town_a, town_b, django_capture_on_commit_callbacks
):
    with tenant_context(town_a):
        UserFactory(email="camille.habitante@exemple.fr")

    response = _signup(client_for(town_b), django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert _accounts_with(VALID["email"], town_a) == 1
    assert _accounts_with(VALID["email"], town_b) == 1


def test_script_in_display_name_is_stored_as_text_and_shown_escaped(
    town_a, django_capture_on_commit_callbacks
):
    client = client_for(town_a)
    name = "<script>alert(1)</script>"

    response = _signup(client, django_capture_on_commit_callbacks, display_name=name)

    assert response.status_code == 302
    with tenant_context(town_a):
        user = User.objects.get(email="camille.habitante@exemple.fr")
        assert user.display_name == name
    client.force_login(user)
    profile = client.get("/compte/")
    content = profile.content.decode()
    assert profile.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert" not in content


def test_resend_verification_mails_a_new_link_that_works(
    town_a, django_capture_on_commit_callbacks
):
    client = client_for(town_a)
    mail.outbox.clear()
    _signup(client, django_capture_on_commit_callbacks)
    with tenant_context(town_a):
        client.force_login(User.objects.get(email="camille.habitante@exemple.fr"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/confirmer/renvoyer/")

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert client.get(path_of(only_link_in_last_email())).status_code == 302
    with tenant_context(town_a):
        assert User.objects.get(email="camille.habitante@exemple.fr").is_email_verified

    # Once verified, asking again sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/confirmer/renvoyer/")
    assert len(mail.outbox) == 2


def test_signup_is_refused_while_the_town_is_read_only(town_a, django_capture_on_commit_callbacks):
    from tenants.models import Tenant

    Tenant.objects.filter(pk=town_a.pk).update(status=Tenant.Status.READ_ONLY)
    mail.outbox.clear()

    response = _signup(client_for(town_a), django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert "lecture seule" in page_text(response)
    assert _accounts_with(VALID["email"], town_a) == 0
    assert mail.outbox == []
