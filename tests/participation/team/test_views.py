"""The team's pages and the audit log, driven as a browser would: plain forms and POSTs."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from accounts.roles import roles_of
from participation.team.models import AuditEntry, Invitation
from tests.accounts.helpers import only_link_in_last_email, path_of
from tests.conftest import client_for
from tests.participation.conftest import logged_in
from tests.participation.factories import AdminFactory, SpaceFactory
from tests.participation.team.factories import Kind, member

PASSWORD = "Une-phrase-secrete-2026"


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def admin(in_town_a):
    return AdminFactory(display_name="Maire", email="maire@ville-a.fr")


@pytest.fixture
def admin_client(town_a, admin):
    return logged_in(town_a, admin)


def test_the_team_page_lists_members_roles_scopes_and_last_sign_in(admin_client):
    space = SpaceFactory(title="Budget 2027")
    manager = member(Kind.SPACE_MANAGER, spaces=[space])
    manager.last_login = timezone.now()
    manager.save(update_fields=["last_login"])
    member(Kind.PAPER_AGENT)  # never signed in

    page = text(admin_client.get("/gestion/equipe/"))

    assert manager.email in page
    assert "Responsable d'espaces" in page
    assert "Budget 2027" in page
    assert "Dernière connexion" in page
    assert "jamais" in page


def test_an_invitation_sent_from_the_page_is_accepted_once(
    town_a, admin_client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/gestion/equipe/", {"email": "collegue@ville-a.fr", "roles": [Kind.MODERATOR]}
        )
    assert response.status_code == 302
    link = path_of(only_link_in_last_email())
    assert link.startswith("/equipe/invitation/")

    browser = client_for(town_a)
    assert "Rejoindre l'équipe" in text(browser.get(link))
    response = browser.post(link, {"display_name": "Claire", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/gestion/"
    assert browser.get("/gestion/").status_code == 200
    colleague = User.objects.get(email="collegue@ville-a.fr")
    assert roles_of(colleague) == {Kind.MODERATOR}

    again = client_for(town_a).get(link)
    assert again.status_code == 400
    assert "déjà servi" in text(again)


def test_bad_invitations_say_why_and_save_nothing(admin_client):
    colleague = member(Kind.MODERATOR)

    response = admin_client.post(
        "/gestion/equipe/", {"email": colleague.email, "roles": [Kind.PAPER_AGENT]}
    )
    assert response.status_code == 400
    assert "fait déjà partie de l'équipe" in text(response)

    response = admin_client.post(
        "/gestion/equipe/", {"email": "x@ville-a.fr", "roles": [Kind.SPACE_MANAGER]}
    )
    assert response.status_code == 400
    assert "Choisissez les espaces" in text(response)
    assert not Invitation.objects.exists()


def test_a_space_manager_is_offered_only_their_role_and_spaces(town_a, in_town_a):
    mine, other = SpaceFactory(title="Mon espace"), SpaceFactory(title="Autre espace")
    client = logged_in(town_a, member(Kind.SPACE_MANAGER, spaces=[mine]))

    page = text(client.get("/gestion/equipe/"))
    assert "Mon espace" in page
    assert "Autre espace" not in page
    assert 'value="moderator"' not in page

    response = client.post("/gestion/equipe/", {"email": "x@ville-a.fr", "roles": [Kind.MODERATOR]})
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    assert other.pk  # (the other space exists, and was not offered)


def test_an_admin_changes_and_removes_a_member(admin_client):
    colleague = member(Kind.MODERATOR)

    response = admin_client.post(
        f"/gestion/equipe/{colleague.pk}/", {"roles": [Kind.PAPER_AGENT, Kind.MODERATOR]}
    )
    assert response.status_code == 302
    assert roles_of(User.objects.get(pk=colleague.pk)) == {Kind.PAPER_AGENT, Kind.MODERATOR}

    response = admin_client.post(f"/gestion/equipe/{colleague.pk}/retirer/")
    assert response.status_code == 302
    assert User.objects.get(pk=colleague.pk).role == User.Role.CITIZEN


def test_every_back_office_post_is_in_the_town_journal(town_a, admin_client, admin):
    moderator = logged_in(town_a, member(Kind.MODERATOR))
    moderator.post("/gestion/quartiers/", {"name": "Centre"}, REMOTE_ADDR="203.0.113.9")
    admin_client.post("/gestion/quartiers/", {"name": "Gare"})
    admin_client.get("/gestion/quartiers/")  # reading is not an action

    refused, done = AuditEntry.objects.order_by("pk")
    assert refused.action == "backoffice:neighbourhoods"
    assert refused.status_code == 403
    assert refused.ip_address == "203.0.113.9"
    assert done.actor == admin
    assert done.actor_email == admin.email
    assert done.status_code == 302
    assert done.details["fields"] == ["name"]

    page = text(admin_client.get("/gestion/journal/", {"actor": "maire"}))
    assert "backoffice:neighbourhoods" in page
    assert "203.0.113.9" not in page  # the moderator's entry is filtered out
    assert "203.0.113.9" in text(admin_client.get("/gestion/journal/"))


def test_the_journal_keeps_no_password(town_a, admin_client):
    colleague = member(Kind.MODERATOR)
    admin_client.post(f"/gestion/equipe/{colleague.pk}/", {"roles": ["moderator"], "password": "x"})

    assert AuditEntry.objects.get().details["fields"] == ["roles"]


def test_only_admins_read_the_journal(town_a, in_town_a):
    assert logged_in(town_a, member(Kind.MODERATOR)).get("/gestion/journal/").status_code == 403


def test_a_withdrawn_invitation_link_no_longer_works(
    town_a, admin_client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/gestion/equipe/", {"email": "collegue@ville-a.fr", "roles": [Kind.MODERATOR]}
        )
    link = path_of(only_link_in_last_email())
    invitation = Invitation.objects.get()
    page = text(admin_client.get("/gestion/equipe/"))
    assert "Retirer l'invitation de collegue@ville-a.fr" in page

    response = admin_client.post(f"/gestion/equipe/invitations/{invitation.pk}/retirer/")
    assert response.status_code == 302
    assert "son lien ne fonctionne plus" in text(admin_client.get("/gestion/equipe/"))
    assert not Invitation.objects.exists()
    refused = client_for(town_a).get(link)
    assert refused.status_code == 400
    # Withdrawn twice, or by someone who may not invite: refused, nothing else changes.
    admin_client.post(f"/gestion/equipe/invitations/{invitation.pk}/retirer/")
    assert "n'est plus en attente" in text(admin_client.get("/gestion/equipe/"))
    moderator = logged_in(town_a, member(Kind.MODERATOR))
    assert (
        moderator.post(f"/gestion/equipe/invitations/{invitation.pk}/retirer/").status_code == 403
    )
    assert AuditEntry.objects.filter(path__contains="/retirer/").exists()


def test_a_space_manager_withdraws_only_their_own_invitations(
    town_a, admin, django_capture_on_commit_callbacks
):
    from participation.team import services

    space = SpaceFactory(title="Budget 2027")
    manager = member(Kind.SPACE_MANAGER, spaces=[space])
    with django_capture_on_commit_callbacks(execute=True):
        by_admin = services.invitation_send(
            actor=admin, email="adjoint@ville-a.fr", roles=[Kind.ADMIN]
        )
        by_manager = services.invitation_send(
            actor=manager, email="aide@ville-a.fr", roles=[Kind.SPACE_MANAGER], spaces=[space]
        )
    browser = logged_in(town_a, manager)
    page = text(browser.get("/gestion/equipe/"))
    assert "Retirer l'invitation de aide@ville-a.fr" in page
    assert "Retirer l'invitation de adjoint@ville-a.fr" not in page

    browser.post(f"/gestion/equipe/invitations/{by_admin.pk}/retirer/")
    assert "Seul un administrateur" in text(browser.get("/gestion/equipe/"))
    browser.post(f"/gestion/equipe/invitations/{by_manager.pk}/retirer/")
    assert list(Invitation.objects.values_list("email", flat=True)) == ["adjoint@ville-a.fr"]
