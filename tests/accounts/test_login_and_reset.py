"""Signing in and resetting a password, each within one town."""

from __future__ import annotations

from django.core import mail
from django_tenants.utils import tenant_context

from accounts.models import User
from tests.accounts.helpers import host_of, only_link_in_last_email, page_text, path_of
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

LOGIN = "/compte/connexion/"
RESET = "/compte/mot-de-passe/oublie/"
RESET_DONE = "/compte/mot-de-passe/envoye/"
NEW_PASSWORD = "Un-nouveau-secret-bien-long-42"
BAD_LOGIN = "Adresse e-mail ou mot de passe incorrect."
INVALID_LINK = "Ce lien n'est pas valide"


def _citizen(tenant, **fields) -> User:
    with tenant_context(tenant):
        return UserFactory(**{"email": "habitant@exemple.fr", **fields})


def _login(client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


def _is_signed_in(response) -> bool:
    return "_auth_user_id" in response.wsgi_request.session


def _request_reset(client, email: str, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(RESET, {"email": email})


def test_login_by_email_is_case_insensitive(town_a):
    user = _citizen(town_a)
    client = client_for(town_a)

    response = _login(client, "HABITANT@Exemple.FR", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.wsgi_request.session["_auth_user_id"] == str(user.pk)
    profile = client.get("/compte/")
    assert profile.status_code == 200
    assert "habitant@exemple.fr" in page_text(profile)


def test_login_with_a_wrong_password_is_refused_in_french(town_a):
    _citizen(town_a)

    response = _login(client_for(town_a), "habitant@exemple.fr", "pas-le-bon-mot-de-passe")

    assert response.status_code == 200
    assert BAD_LOGIN in page_text(response)
    assert not _is_signed_in(response)


def test_login_of_an_unknown_address_gives_the_same_message(town_a):
    response = _login(client_for(town_a), "personne@exemple.fr", PASSWORD)

    assert response.status_code == 200
    assert BAD_LOGIN in page_text(response)
    assert not _is_signed_in(response)


def test_inactive_account_cannot_sign_in(town_a):
    _citizen(town_a, is_active=False)

    response = _login(client_for(town_a), "habitant@exemple.fr", PASSWORD)

    assert response.status_code == 200
    assert not _is_signed_in(response)


def test_credentials_of_town_a_do_not_open_town_b(town_a, town_b):
    _citizen(town_a)

    response = _login(client_for(town_b), "habitant@exemple.fr", PASSWORD)

    assert response.status_code == 200
    assert BAD_LOGIN in page_text(response)
    assert not _is_signed_in(response)


def test_session_of_town_a_is_not_valid_on_town_b(town_a, town_b):
    _citizen(town_a)
    client = client_for(town_a)
    assert _login(client, "habitant@exemple.fr", PASSWORD).status_code == 302
    cookie = client.cookies["sessionid"].value

    other = client_for(town_b)
    other.cookies["sessionid"] = cookie
    response = other.get("/compte/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_passwords_are_hashed_with_argon2(town_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(town_a).post(
            "/compte/inscription/",
            {"display_name": "Nour", "email": "nour@exemple.fr", "password": NEW_PASSWORD},
        )
    with tenant_context(town_a):
        user = User.objects.get(email="nour@exemple.fr")
    assert user.password.startswith("argon2")
    assert NEW_PASSWORD not in user.password


def test_password_reset_sends_a_link_that_sets_a_new_password_once(
    town_a, django_capture_on_commit_callbacks
):
    user = _citizen(town_a)
    client = client_for(town_a)

    response = _request_reset(client, "Habitant@Exemple.fr", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == RESET_DONE
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["habitant@exemple.fr"]
    assert "Ville A" in mail.outbox[0].subject
    link = only_link_in_last_email()
    assert host_of(link) == "ville-a.localhost"
    assert path_of(link).startswith("/compte/mot-de-passe/nouveau/")

    # Django swaps the token for a session-held one, then shows the form.
    opened = client.get(path_of(link), follow=True)
    assert opened.status_code == 200
    assert opened.context["validlink"] is True
    form_path = opened.redirect_chain[-1][0]
    saved = client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved.status_code == 302
    assert saved["Location"] == LOGIN

    with tenant_context(town_a):
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert user.password.startswith("argon2")
    fresh = client_for(town_a)
    assert _login(fresh, "habitant@exemple.fr", PASSWORD).status_code == 200
    assert _login(fresh, "habitant@exemple.fr", NEW_PASSWORD).status_code == 302

    again = client_for(town_a).get(path_of(link), follow=True)
    assert again.context["validlink"] is False
    assert INVALID_LINK in page_text(again)
    with tenant_context(town_a):
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)


def test_password_reset_refuses_mismatched_passwords_in_french(
    town_a, django_capture_on_commit_callbacks
):
    user = _citizen(town_a)
    client = client_for(town_a)
    _request_reset(client, "habitant@exemple.fr", django_capture_on_commit_callbacks)
    opened = client.get(path_of(only_link_in_last_email()), follow=True)

    response = client.post(
        opened.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )

    assert response.status_code == 200
    assert "Les deux mots de passe ne correspondent pas." in page_text(response)
    with tenant_context(town_a):
        user.refresh_from_db()
        assert user.check_password(PASSWORD)


def test_reset_link_of_town_a_is_refused_on_town_b(
    town_a, town_b, django_capture_on_commit_callbacks
):
    user_a = _citizen(town_a)
    # Same id, same address, same password hash in town B: only the schema differs.
    with tenant_context(town_b):
        user_b = UserFactory(
            pk=user_a.pk,
            email=user_a.email,
            password=user_a.password,
            last_login=user_a.last_login,
        )
    _request_reset(client_for(town_a), "habitant@exemple.fr", django_capture_on_commit_callbacks)
    path = path_of(only_link_in_last_email())

    response = client_for(town_b).get(path, follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert INVALID_LINK in page_text(response)
    with tenant_context(town_b):
        user_b.refresh_from_db()
        assert user_b.check_password(PASSWORD)


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    town_a, town_b, django_capture_on_commit_callbacks
):
    _citizen(town_b, email="ailleurs@exemple.fr")
    client = client_for(town_a)

    for email in ("inconnu@exemple.fr", "ailleurs@exemple.fr"):
        response = _request_reset(client, email, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        assert response["Location"] == RESET_DONE
        assert mail.outbox == []

    done = client.get(RESET_DONE)
    assert done.status_code == 200
    assert "Si un compte existe pour cette adresse" in page_text(done)


def test_reset_is_not_sent_to_an_inactive_account(town_a, django_capture_on_commit_callbacks):
    _citizen(town_a, is_active=False)

    response = _request_reset(
        client_for(town_a), "habitant@exemple.fr", django_capture_on_commit_callbacks
    )

    assert response["Location"] == RESET_DONE
    assert mail.outbox == []
