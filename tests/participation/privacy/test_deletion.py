from django.contrib.sessions.models import Session
from django.template import Context, Template
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import ApiToken, User
from participation.models import Profile, SpaceFollow
from participation.news.models import NewsPost
from tests.conftest import client_for
from tests.factories import PASSWORD, api_key_for
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
    SpaceFactory,
)

URL = "/mes-donnees/supprimer-mon-compte/"


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_deletion_page_needs_login(in_town_a, town_a):
    assert client_for(town_a).get(URL).status_code == 302


def test_deletion_anonymises_contributions_and_removes_the_rest(in_town_a, town_a):
    resident = ParticipantFactory(email="partant@exemple.fr")
    space = SpaceFactory()
    SpaceFollow.objects.create(user=resident, space=space)
    api_key_for(resident)
    post = NewsPost.objects.create(
        component=ComponentFactory(space=space),
        title="Mon texte",
        body="…",
        author=resident,
        published_at=timezone.now(),
    )
    other = ParticipantFactory()
    other_client = client_for(town_a)
    other_client.force_login(other)
    client = client_for(town_a)
    client.force_login(resident)
    old_session = client.cookies["sessionid"].value

    assert client.get(URL).status_code == 200
    response = client.post(URL, {"password": PASSWORD, "confirm": "1"}, follow=True)

    assert response.status_code == 200
    assert "Votre compte et vos données personnelles ont été supprimés" in _text(response)
    with tenant_context(town_a):
        assert not User.objects.filter(email="partant@exemple.fr").exists()
        assert not Profile.objects.filter(user_id=resident.pk).exists()
        assert not SpaceFollow.objects.filter(user_id=resident.pk).exists()
        assert not ApiToken.objects.filter(user_id=resident.pk).exists()
        assert not Session.objects.filter(session_key=old_session).exists()
        post.refresh_from_db()
        assert post.author_id is None  # the contribution stays, anonymised
        assert User.objects.filter(pk=other.pk).exists()

    # The old session cookie no longer authenticates anyone.
    stale = client_for(town_a)
    stale.cookies["sessionid"] = old_session
    assert stale.get("/mon-profil/notifications/").status_code == 302
    # Other residents stay logged in.
    assert other_client.get("/mon-profil/notifications/").status_code == 200


def test_every_session_of_the_account_is_closed(in_town_a, town_a):
    resident = ParticipantFactory()
    phone, laptop = client_for(town_a), client_for(town_a)
    phone.force_login(resident)
    laptop.force_login(resident)
    response = laptop.post(URL, {"password": PASSWORD, "confirm": "1"})
    assert response.status_code == 302
    assert phone.get("/mon-profil/notifications/").status_code == 302


def test_wrong_password_is_refused(in_town_a, town_a):
    resident = ParticipantFactory()
    client = client_for(town_a)
    client.force_login(resident)
    response = client.post(URL, {"password": "pas-le-bon", "confirm": "1"})
    assert response.status_code == 400
    assert "Mot de passe incorrect" in _text(response)
    with tenant_context(town_a):
        assert User.objects.filter(pk=resident.pk).exists()
    assert client.get("/mon-profil/notifications/").status_code == 200


def test_confirmation_is_required(in_town_a, town_a):
    resident = ParticipantFactory()
    client = client_for(town_a)
    client.force_login(resident)
    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 400
    assert "Cochez la case" in _text(response)
    with tenant_context(town_a):
        assert User.objects.filter(pk=resident.pk).exists()


def test_last_admin_cannot_delete_their_account(in_town_a, town_a):
    User.objects.filter(role=User.Role.ADMIN).update(role=User.Role.MODERATOR)
    admin = AdminFactory()
    client = client_for(town_a)
    client.force_login(admin)
    response = client.post(URL, {"password": PASSWORD, "confirm": "1"})
    assert response.status_code == 400
    assert "Vous êtes le dernier administrateur" in _text(response)
    with tenant_context(town_a):
        assert User.objects.filter(pk=admin.pk).exists()


def test_an_admin_may_leave_when_another_remains(in_town_a, town_a):
    admin = AdminFactory()
    AdminFactory()
    client = client_for(town_a)
    client.force_login(admin)
    assert client.post(URL, {"password": PASSWORD, "confirm": "1"}).status_code == 302
    with tenant_context(town_a):
        assert not User.objects.filter(pk=admin.pk).exists()


def test_author_name_filter_shows_deleted_accounts_as_anonymous(in_town_a):
    template = Template("{% load participation_tags %}{{ a|author_name }} / {{ b|author_name }}")
    resident = ParticipantFactory(display_name="Léa")
    assert template.render(Context({"a": resident, "b": None})) == "Léa / Participant anonyme"
