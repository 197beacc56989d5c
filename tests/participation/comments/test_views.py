import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django_tenants.utils import tenant_context

from accounts.models import User
from participation.comments import services
from participation.comments.models import Comment, Flag, Support
from tests.conftest import client_for
from tests.participation.comments.conftest import post_url
from tests.participation.conftest import logged_in
from tests.participation.factories import ModeratorFactory, ParticipantFactory


@pytest.fixture
def citizen(in_town_a):
    return ParticipantFactory(display_name="Camille")


@pytest.fixture
def moderator(in_town_a):
    return ModeratorFactory(display_name="Mairie")


def add_url(post) -> str:
    return f"/commentaires/{ContentType.objects.get_for_model(post).pk}/{post.pk}/"


def page(client, post) -> str:
    response = client.get(post_url(post))
    assert response.status_code == 200
    return response.content.decode()


# Reading


def test_thread_shows_comments_and_official_label(town_a, post, citizen, moderator):
    question = services.comment_add(author=citizen, item=post, body="Jusqu'à quand ?")
    services.comment_add(
        author=moderator, item=post, body="Jusqu'au 30 juin.", parent=question, official=True
    )
    html = page(client_for(town_a), post)
    assert "Jusqu&#x27;à quand ?" in html
    assert "Jusqu&#x27;au 30 juin." in html
    assert html.count("Réponse officielle</span>") == 1
    assert "2 commentaires" in html
    assert "connectez-vous" in html  # the gate, for anonymous visitors


def test_script_in_a_comment_is_shown_escaped(town_a, post, citizen):
    services.comment_add(author=citizen, item=post, body='<script>alert("x")</script>')
    html = page(client_for(town_a), post)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_hidden_comment_shows_the_reason_to_everyone_even_its_author(
    town_a, post, citizen, moderator
):
    comment = services.comment_add(author=citizen, item=post, body="Propos déplacés ici")
    services.comment_hide(moderator=moderator, comment=comment, reason="Propos injurieux")
    for viewer in (None, citizen, moderator):
        html = page(logged_in(town_a, viewer), post)
        assert "Propos déplacés ici" not in html
        assert "Commentaire masqué par la modération : Propos injurieux" in html


def test_thread_page_queries_do_not_grow_with_comments(
    town_a, post, citizen, django_assert_max_num_queries
):
    client = logged_in(town_a, ParticipantFactory())
    page(client, post)  # content types and theme cached, as on a running site
    performed = []
    for size in (5, 50):
        while Comment.objects.filter(parent=None).count() < size:
            root = services.comment_add(author=citizen, item=post, body="Un avis")
            services.comment_add(author=ParticipantFactory(), item=post, body="Oui", parent=root)
        # Session, account, profile, component, phases, post, thread, flags, supports, moderator
        # check, each after django-tenants' SET search_path.
        with django_assert_max_num_queries(30) as queries:
            html = page(client, post)
        performed.append(len(queries.captured_queries))
        assert f"{size * 2} commentaires" in html
    assert performed[0] == performed[1]


# Posting without JavaScript


def test_comment_reply_and_redirect_back(town_a, post, citizen):
    client = logged_in(town_a, citizen)
    next_url = post_url(post)
    response = client.post(add_url(post), {"body": "Très bien", "next": next_url})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{next_url}#comment-{comment.pk}"
    response = client.post(
        f"/commentaires/{comment.pk}/repondre/", {"body": "Je confirme", "next": next_url}
    )
    reply = Comment.objects.get(parent=comment)
    assert response["Location"] == f"{next_url}#comment-{reply.pk}"
    assert reply.author == citizen


def test_errors_come_back_as_messages(town_a, post, citizen):
    client = logged_in(town_a, citizen)
    response = client.post(add_url(post), {"body": "  ", "next": post_url(post)}, follow=True)
    assert "Commentaire : ce champ est obligatoire." in response.content.decode()
    assert not Comment.objects.exists()


def test_next_must_stay_on_the_site(town_a, post, citizen):
    client = logged_in(town_a, citizen)
    response = client.post(add_url(post), {"body": "Ok", "next": "https://evil.example/"})
    assert response["Location"].startswith(f"/espaces/{post.component.space.slug}/")


def test_only_module_items_can_be_commented(town_a, post, citizen):
    client = logged_in(town_a, citizen)
    user_type = ContentType.objects.get_for_model(User)
    response = client.post(f"/commentaires/{user_type.pk}/{citizen.pk}/", {"body": "Coucou"})
    assert response.status_code == 404


def test_anonymous_post_goes_to_login(town_a, post):
    response = client_for(town_a).post(add_url(post), {"body": "Bonjour"})
    assert response.status_code == 302
    assert "/compte/" in response["Location"]
    assert not Comment.objects.exists()


def test_flag_once_through_the_page(town_a, post, citizen):
    comment = services.comment_add(author=citizen, item=post, body="Pub !")
    neighbour = ParticipantFactory()
    client = logged_in(town_a, neighbour)
    url = f"/commentaires/{comment.pk}/signaler/"
    client.post(url, {"reason": "spam", "next": post_url(post)})
    response = client.post(url, {"reason": "spam", "next": post_url(post)}, follow=True)
    html = response.content.decode()
    assert "Vous avez déjà signalé ce commentaire." in html
    assert "Vous avez signalé ce commentaire." in html
    assert Flag.objects.filter(comment=comment).count() == 1


def test_support_button_toggles(town_a, post, citizen):
    client = logged_in(town_a, citizen)
    url = add_url(post) + "soutenir/"
    html = page(client, post)
    assert "Je soutiens" in html
    assert "Aucun soutien" in html
    client.post(url, {"support": "1", "next": post_url(post)})
    client.post(url, {"support": "1", "next": post_url(post)})  # a double click
    assert Support.objects.filter(user=citizen).count() == 1
    html = page(client, post)
    assert "Je ne soutiens plus" in html
    assert "1 soutien" in html
    client.post(url, {"support": "0", "next": post_url(post)})
    assert not Support.objects.exists()


def test_support_through_htmx_answers_the_button_alone(town_a, post, citizen):
    """With JavaScript, htmx posts the form and swaps the button in place."""
    client = logged_in(town_a, citizen)
    response = client.post(
        add_url(post) + "soutenir/",
        {"support": "1", "next": post_url(post)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<div class="support">')
    assert "1 soutien" in html
    assert "Je ne soutiens plus" in html
    assert "<html" not in html


# Moderation queue


def test_moderation_queue_for_moderators_only(town_a, post, citizen, moderator):
    comment = services.comment_add(author=citizen, item=post, body="Signalé")
    services.comment_flag(user=ParticipantFactory(), comment=comment, reason="abuse")
    response = logged_in(town_a, moderator).get("/gestion/moderation/")
    assert response.status_code == 200
    assert "Signalé" in response.content.decode()
    assert "1 signalement" in response.content.decode()
    assert logged_in(town_a, citizen).get("/gestion/moderation/").status_code == 403
    anonymous = client_for(town_a).get("/gestion/moderation/")
    assert anonymous.status_code == 302
    assert "/compte/" in anonymous["Location"]
    hide = logged_in(town_a, citizen).post(
        f"/gestion/moderation/{comment.pk}/masquer/", {"reason": "Non"}
    )
    assert hide.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_space_moderator_reaches_the_queue(town_a, post, citizen):
    services.comment_add(author=citizen, item=post, body="Dans mon espace")
    space_moderator = ParticipantFactory()
    post.component.space.moderators.add(space_moderator)
    response = logged_in(town_a, space_moderator).get("/gestion/moderation/")
    assert response.status_code == 200
    assert "Dans mon espace" in response.content.decode()


def test_hide_requires_a_reason_then_restore(town_a, post, citizen, moderator):
    comment = services.comment_add(author=citizen, item=post, body="À masquer")
    client = logged_in(town_a, moderator)
    url = f"/gestion/moderation/{comment.pk}/masquer/"
    response = client.post(url, {"reason": ""}, follow=True)
    assert "ce champ est obligatoire" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_hidden
    client.post(url, {"reason": "Hors sujet"})
    comment.refresh_from_db()
    assert comment.hidden_reason == "Hors sujet"
    hidden_view = client.get("/gestion/moderation/?vue=masques").content.decode()
    assert "Rétablir" in hidden_view
    client.post(f"/gestion/moderation/{comment.pk}/retablir/")
    comment.refresh_from_db()
    assert not comment.is_hidden


# Towns


def test_town_b_cannot_reach_town_a_comments(town_a, town_b, post, citizen):
    comment = services.comment_add(author=citizen, item=post, body="Chez nous")
    content_type_id = ContentType.objects.get_for_model(post).pk
    with tenant_context(town_b):
        resident_b = ParticipantFactory()
        admin_b = ModeratorFactory()
    as_resident = logged_in(town_b, resident_b)
    as_admin = logged_in(town_b, admin_b)
    responses = [
        as_resident.post(f"/commentaires/{comment.pk}/signaler/", {"reason": "spam"}),
        as_resident.post(f"/commentaires/{comment.pk}/repondre/", {"body": "Intrus"}),
        as_resident.post(f"/commentaires/{content_type_id}/{post.pk}/", {"body": "Intrus"}),
        as_resident.post(f"/commentaires/{content_type_id}/{post.pk}/soutenir/", {"support": 1}),
        as_admin.post(f"/gestion/moderation/{comment.pk}/masquer/", {"reason": "Intrus"}),
        as_admin.post(f"/gestion/moderation/{comment.pk}/retablir/"),
    ]
    assert [r.status_code for r in responses] == [404] * 6
    assert "Chez nous" not in as_admin.get("/gestion/moderation/").content.decode()
    with tenant_context(town_a):
        comment.refresh_from_db()
        assert not comment.is_hidden
        assert Comment.objects.count() == 1
        assert not Flag.objects.exists()
        assert not Support.objects.exists()


# E-mails


def test_emails_on_reply_and_on_hide(
    town_a, post, citizen, moderator, django_capture_on_commit_callbacks
):
    comment = services.comment_add(author=citizen, item=post, body="Ma question")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=moderator, item=post, body="Notre réponse", parent=comment)
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert "réponse" in mail.outbox[0].subject
    assert "Notre réponse" in mail.outbox[0].body
    assert "#comment-" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(moderator=moderator, comment=comment, reason="Hors charte")
    assert [m.to for m in mail.outbox] == [[citizen.email], [citizen.email]]
    assert "masqué" in mail.outbox[1].subject
    assert "Hors charte" in mail.outbox[1].body


def test_no_email_to_oneself_nor_when_switched_off(
    town_a, post, citizen, moderator, django_capture_on_commit_callbacks
):
    comment = services.comment_add(author=citizen, item=post, body="Ma question")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=citizen, item=post, body="Je précise", parent=comment)
    citizen.profile.notify_replies = False
    citizen.profile.notify_moderation = False
    citizen.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(author=moderator, item=post, body="Réponse", parent=comment)
        services.comment_hide(moderator=moderator, comment=comment, reason="Hors charte")
    assert mail.outbox == []
