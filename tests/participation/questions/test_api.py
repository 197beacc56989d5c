"""The API goes through the same services and rules as the pages."""

from django_tenants.utils import tenant_context

from participation.questions import services
from participation.questions.models import Question
from tests.participation.conftest import logged_in


def api_url(component, *parts) -> str:
    tail = "".join(f"{part}/" for part in parts)
    return f"/api/v1/espaces/{component.space.slug}/questions/{component.pk}/{tail}"


def test_asking_listing_and_answering(
    component, citizen, staff, official, official_account, town_a
):
    client = logged_in(town_a, citizen)
    created = client.post(
        api_url(component),
        {"title": "Bus du dimanche", "body": "Le bus 4 passera-t-il le dimanche ?"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    empty = client.post(
        api_url(component), {"title": "Vide", "body": ""}, content_type="application/json"
    )
    assert empty.status_code == 400
    assert "Votre question : ce champ est obligatoire." in empty.content.decode()
    with tenant_context(town_a):
        assert Question.objects.count() == 1
        services.question_route(actor=staff, question=Question.objects.get(), official=official)
    refused = client.post(
        api_url(component, pk, "reponse"), {"answer": "Oui"}, content_type="application/json"
    )
    assert refused.status_code == 403
    answered = logged_in(town_a, official_account).post(
        api_url(component, pk, "reponse"),
        {"answer": "Oui, dès mars."},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    listing = logged_in(town_a).get(api_url(component)).json()
    assert listing["record"]["answered"] == 1
    assert listing["results"][0]["answer"] == "Oui, dès mars."


def test_routing_and_declining_through_the_api(
    component, question, staff, citizen, service, town_a
):
    url = api_url(component, question.pk)
    refused = logged_in(town_a, citizen).post(
        url + "transmission/", {"service": service.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    admin = logged_in(town_a, staff)
    unknown = admin.post(
        url + "transmission/", {"service": 999_999}, content_type="application/json"
    )
    assert unknown.status_code == 400 and "Ce service n'existe pas." in unknown.content.decode()
    routed = admin.post(
        url + "transmission/", {"service": service.pk}, content_type="application/json"
    )
    assert routed.status_code == 200 and routed.json()["status"] == "routed"
    declined = admin.post(
        url + "refus/",
        {"reason": "insulting", "note": "Propos injurieux."},
        content_type="application/json",
    )
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined" and declined.json()["body"] == ""
