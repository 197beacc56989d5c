"""The residents' pages: asking (and refusing bad input with nothing saved), a question's page
with its answer, supports."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_tenants.utils import tenant_context

from participation.comments.models import Support
from participation.models import Image
from participation.questions import services
from participation.questions.models import Question, QuestionEvent
from tests.participation.conftest import logged_in
from tests.participation.factories import ParticipantFactory

from .conftest import image_upload


def list_url(component) -> str:
    return f"/espaces/{component.space.slug}/questions/{component.pk}/"


def counts() -> tuple[int, int, int]:
    return Question.objects.count(), QuestionEvent.objects.count(), Image.objects.count()


def test_a_resident_asks_with_a_photo_and_a_place(component, citizen, official, town_a):
    client = logged_in(town_a, citizen)
    form = client.get(list_url(component) + "poser/")
    assert form.status_code == 200 and "Henri Marty" in form.content.decode()
    response = client.post(
        list_url(component) + "poser/",
        {
            "title": "Trou dans la chaussée",
            "body": "Un nid-de-poule rue Voltaire.",
            "addressed_to": official.pk,
            "address": "12 rue Voltaire",
            "latitude": "43.2130",
            "longitude": "2.3491",
            "image": image_upload(),
            "image_alt": "Un trou dans le bitume",
        },
    )
    with tenant_context(town_a):
        question = Question.objects.get()
        assert response.status_code == 302
        assert response["Location"] == question.get_absolute_url()
        assert question.addressed_to == official and question.image.alt == "Un trou dans le bitume"
        assert str(question.latitude) == "43.213000"
    page = client.get(response["Location"]).content.decode()
    assert "Trou dans la chaussée" in page and "Adressée à Henri Marty" in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Votre question : ce champ est obligatoire."),
        ("   ", "Votre question : ce champ est obligatoire."),
        ("x" * 10_000, "Votre question : 10000 caractères, 2000 au plus."),
    ],
)
def test_an_empty_or_overlong_question_is_refused_and_nothing_is_saved(
    component, citizen, town_a, body, message
):
    client = logged_in(town_a, citizen)
    with tenant_context(town_a):
        before = counts()
    response = client.post(
        list_url(component) + "poser/",
        {
            "title": "Ma question",
            "body": body,
            "image": image_upload(),
            "image_alt": "Une photo",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert 'value="Ma question"' in html  # what was typed is kept
    with tenant_context(town_a):
        assert counts() == before


def test_a_photo_without_its_description_is_refused(component, citizen, town_a):
    response = logged_in(town_a, citizen).post(
        list_url(component) + "poser/",
        {"title": "Ma question", "body": "Ma question ?", "image": image_upload()},
    )
    assert response.status_code == 400
    assert "texte alternatif" in response.content.decode()
    with tenant_context(town_a):
        assert counts() == (0, 0, 0)


def test_a_visitor_is_shown_how_to_take_part(component, town_a):
    response = logged_in(town_a).get(list_url(component))
    assert response.status_code == 200
    assert "poser/" not in response.content.decode()
    assert logged_in(town_a).get(list_url(component) + "poser/").status_code == 302


def test_the_answer_is_public_and_residents_support_the_question(
    component, question, staff, official, citizen, town_a
):
    with tenant_context(town_a):
        routed = services.question_route(actor=staff, question=question, official=official)
        services.question_answer(actor=staff, question=routed, answer="Réparé lundi.")
        neighbour = ParticipantFactory(display_name="Karim")
    client = logged_in(town_a, neighbour)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Réponse de Henri Marty" in page and "Réparé lundi." in page
    content_type = ContentType.objects.get_for_model(Question)
    response = client.post(f"/commentaires/{content_type.pk}/{question.pk}/soutenir/")
    assert response.status_code in (200, 302)
    with tenant_context(town_a):
        assert Support.objects.filter(object_id=question.pk, user=neighbour).exists()


def test_the_officials_page_lists_the_published_officials(official, town_a, in_town_a):
    hidden = type(official).objects.create(name="Élu masqué", title="Conseiller", published=False)
    html = logged_in(town_a).get("/elus/").content.decode()
    assert "Henri Marty" in html and "Adjoint aux travaux" in html and "Voirie" in html
    assert hidden.name not in html


def test_the_list_is_paged(component, citizen, town_a, in_town_a):
    Question.objects.bulk_create(
        Question(component=component, author=citizen, title=f"Question n° {n}", body="?")
        for n in range(31)
    )
    first = logged_in(town_a).get(list_url(component)).content.decode()
    assert first.count('class="card" id="question-') == 30 and 'rel="next"' in first
    second = logged_in(town_a).get(list_url(component) + "?page=2").content.decode()
    assert second.count('class="card" id="question-') == 1
