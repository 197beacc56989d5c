"""The news module's back office (publish, delete) and how its posts are shown."""

import pytest
from django_tenants.utils import tenant_context

from core.errors import NotAllowed
from participation.news import services
from participation.news.models import NewsPost
from tests.conftest import client_for
from tests.participation.conftest import ROLES, logged_in, make_user
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ModeratorFactory,
    ParticipantFactory,
)


@pytest.fixture
def news(in_town_a):
    return ComponentFactory(type_key="news", title="Nouvelles du conseil")


def admin_url(component) -> str:
    return f"/gestion/espaces/{component.space.slug}/news/{component.pk}/"


def publish(component, title="Réunion publique", body="Jeudi à 19 h.") -> NewsPost:
    return services.news_post_publish(
        actor=AdminFactory(), component=component, title=title, body=body
    )


def test_anonymous_is_sent_to_log_in(news, town_a):
    response = client_for(town_a).get(admin_url(news))
    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={admin_url(news)}"


def test_a_citizen_is_refused(news, town_a):
    post = publish(news)
    client = logged_in(town_a, ParticipantFactory())
    assert client.get(admin_url(news)).status_code == 403
    assert client.post(admin_url(news), {"title": "Piraté", "body": "x"}).status_code == 403
    assert client.post(f"{admin_url(news)}{post.pk}/supprimer/").status_code == 403
    with tenant_context(town_a):
        assert list(NewsPost.objects.values_list("title", flat=True)) == ["Réunion publique"]


@pytest.mark.parametrize("role", ["moderator", "admin", "space_moderator"])
def test_staff_and_space_moderators_publish(news, town_a, role):
    if role == "space_moderator":
        user = ParticipantFactory()
        news.space.moderators.add(user)
    else:
        user = {"moderator": ModeratorFactory, "admin": AdminFactory}[role]()
    client = logged_in(town_a, user)
    assert client.get(admin_url(news)).status_code == 200
    response = client.post(
        admin_url(news), {"title": "Travaux rue Pasteur", "body": "Du 3 au 7 mars."}
    )
    assert response.status_code == 302
    assert response["Location"] == admin_url(news)
    with tenant_context(town_a):
        post = NewsPost.objects.get()
    assert (post.title, post.body, post.author_id) == (
        "Travaux rue Pasteur",
        "Du 3 au 7 mars.",
        user.pk,
    )
    page = client.get(admin_url(news)).content.decode()
    assert "Actualité publiée." in page
    assert "Travaux rue Pasteur" in page
    public = client_for(town_a).get(f"/espaces/{news.space.slug}/news/{news.pk}/")
    assert "Travaux rue Pasteur" in public.content.decode()


def test_a_space_moderator_does_not_manage_another_space(news, town_a):
    user = ParticipantFactory()
    ComponentFactory(type_key="news").space.moderators.add(user)
    assert logged_in(town_a, user).get(admin_url(news)).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Texte"}, "Ce champ est obligatoire."),
        ({"title": "   ", "body": "Texte"}, "Ce champ est obligatoire."),
        ({"title": "x" * 201, "body": "Texte"}, "au plus 200 caractères"),
    ],
)
def test_bad_input_is_refused_in_french(news, town_a, data, message):
    response = logged_in(town_a, AdminFactory()).post(admin_url(news), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    with tenant_context(town_a):
        assert not NewsPost.objects.exists()


def test_a_moderator_deletes_a_post(news, town_a):
    post = publish(news)
    client = logged_in(town_a, ModeratorFactory())
    url = f"{admin_url(news)}{post.pk}/supprimer/"
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Actualité supprimée." in response.content.decode()
    with tenant_context(town_a):
        assert not NewsPost.objects.exists()


def test_a_post_of_another_component_cannot_be_deleted_through_this_one(news, town_a):
    other = publish(ComponentFactory(type_key="news"))
    response = logged_in(town_a, AdminFactory()).post(f"{admin_url(news)}{other.pk}/supprimer/")
    assert response.status_code == 404
    with tenant_context(town_a):
        assert NewsPost.objects.filter(pk=other.pk).exists()


def test_the_back_office_of_another_module_type_is_a_404(in_town_a, town_a):
    documents = ComponentFactory(type_key="documents")
    assert logged_in(town_a, AdminFactory()).get(admin_url(documents)).status_code == 404


def test_town_b_cannot_reach_town_as_news_back_office(news, town_b):
    with tenant_context(town_b):
        admin_b = AdminFactory()
    assert logged_in(town_b, admin_b).get(admin_url(news)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_and_admins_publish_and_delete(news, role):
    user = make_user(role)
    allowed = role in ("moderator", "admin")
    post = publish(news)
    if allowed:
        services.news_post_publish(actor=user, component=news, title="A", body="B")
        services.news_post_delete(actor=user, post=post)
        assert list(NewsPost.objects.values_list("title", flat=True)) == ["A"]
    else:
        with pytest.raises(NotAllowed):
            services.news_post_publish(actor=user, component=news, title="A", body="B")
        with pytest.raises(NotAllowed):
            services.news_post_delete(actor=user, post=post)
        assert NewsPost.objects.count() == 1


def test_a_script_in_a_post_is_shown_escaped(news, town_a):
    post = publish(
        news, title="<script>alert('titre')</script>", body="<script>alert('texte')</script>"
    )
    client = client_for(town_a)
    for url in (
        f"/espaces/{news.space.slug}/news/{news.pk}/",
        f"/espaces/{news.space.slug}/news/{news.pk}/{post.pk}/",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in html
        assert "&lt;script&gt;alert(&#x27;texte&#x27;)&lt;/script&gt;" in html
    admin_page = logged_in(town_a, AdminFactory()).get(admin_url(news)).content.decode()
    assert "<script>alert" not in admin_page
    assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in admin_page
