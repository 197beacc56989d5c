"""The API: the survey's structure, and answers posted with the same rules as the form."""

from rest_framework.test import APIClient

from participation.surveys.models import Response
from tests.conftest import client_for
from tests.participation.factories import ParticipantFactory

from .conftest import oid


def api_url(survey, *parts):
    component = survey.component
    base = f"/api/v1/espaces/{component.space.slug}/surveys/{component.pk}/{survey.pk}/"
    return base + "".join(f"{part}/" for part in parts)


def api_client(town, user=None):
    client = APIClient(HTTP_HOST=client_for(town).defaults["HTTP_HOST"])
    if user is not None:
        client.force_authenticate(user)
    return client


def test_structure_is_readable_without_an_account(built, town_a):
    survey, q = built
    response = api_client(town_a).get(api_url(survey))
    assert response.status_code == 200
    data = response.json()
    assert [s["title"] for s in data["sections"]] == ["Vos habitudes", "Le vélo"]
    questions = {qq["id"]: qq for s in data["sections"] for qq in s["questions"]}
    assert questions[q["safety"].pk]["condition"] == {
        "question": q["mode"].pk,
        "option": oid(q["mode"], "À vélo"),
    }
    assert [c["label"] for c in questions[q["places"].pk]["columns"]] == ["Agréable", "Dangereux"]
    assert questions[q["reasons"].pk]["max_choices"] == 2


def test_post_answers(built, town_a, in_town_a):
    survey, q = built
    user = ParticipantFactory()
    client = api_client(town_a, user)
    answers = {str(q["mode"].pk): oid(q["mode"], "À vélo"), str(q["safety"].pk): 4}
    created = client.post(api_url(survey, "reponses"), {"answers": answers}, format="json")
    assert created.status_code == 201
    again = client.post(api_url(survey, "reponses"), {"answers": answers}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "Vous avez déjà répondu à ce questionnaire."
    assert Response.objects.filter(survey=survey, user=user).count() == 1


def test_post_errors_are_per_question(built, town_a, in_town_a):
    survey, q = built
    client = api_client(town_a, ParticipantFactory())
    answers = {str(q["mode"].pk): 123456789, str(q["minutes"].pk): "beaucoup"}
    response = client.post(api_url(survey, "reponses"), {"answers": answers}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        str(q["mode"].pk): "Ce choix ne fait pas partie de la question.",
        str(q["minutes"].pk): "Saisissez un nombre (par exemple 12 ou 12,5).",
    }
    assert not Response.objects.filter(survey=survey).exists()
    shapeless = client.post(api_url(survey, "reponses"), {"answers": [1]}, format="json")
    assert shapeless.status_code == 400


def test_anonymous_post_is_refused(built, town_a):
    survey, q = built
    response = api_client(town_a).post(
        api_url(survey, "reponses"), {"answers": {str(q["mode"].pk): 1}}, format="json"
    )
    assert response.status_code == 403
    assert "Connectez-vous" in response.json()["detail"]
