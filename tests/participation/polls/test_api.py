"""The polls' API: same rules and services, domain errors as JSON."""

import pytest

from participation.polls import services
from participation.polls.models import Answer, Poll
from tests.conftest import client_for
from tests.participation.conftest import moment_offset
from tests.participation.factories import ParticipantFactory
from tests.participation.polls.conftest import api_answer_url, choice_ids, list_url


@pytest.fixture
def citizen_api(in_town_a, town_a):
    citizen = ParticipantFactory()
    api = client_for(town_a)
    api.force_login(citizen)
    api.user = citizen
    return api


def post(api, poll, choices):
    return api.post(api_answer_url(poll), {"choices": choices}, content_type="application/json")


def test_anyone_reads_the_polls_without_results(poll, town_a):
    response = client_for(town_a).get(list_url(poll))
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["question"] == "Que voulez-vous sur la place ?"
    assert item["kind"] == "single"
    assert [choice["label"] for choice in item["choices"]] == [
        "Des arbres",
        "Des bancs",
        "Une aire de jeux",
    ]
    assert item["results"] is None
    assert item["can_answer"] is False
    assert item["answered"] is False


def test_a_participant_answers_and_gets_the_results(poll, citizen_api):
    assert citizen_api.get(list_url(poll)).json()["results"][0]["can_answer"] is True
    second = choice_ids(poll)[1]
    response = post(citizen_api, poll, [second])
    assert response.status_code == 201
    body = response.json()
    assert body["answered"] is True
    assert body["my_choices"] == [second]
    assert body["can_answer"] is False
    assert body["results"]["respondents"] == 1
    assert [(row["label"], row["count"], row["percent"]) for row in body["results"]["choices"]] == [
        ("Des arbres", 0, 0),
        ("Des bancs", 1, 100),
        ("Une aire de jeux", 0, 0),
    ]
    assert Answer.objects.get(poll=poll).user == citizen_api.user


def test_a_second_answer_is_a_409(poll, citizen_api):
    services.poll_answer(user=citizen_api.user, poll=poll, choice_ids=choice_ids(poll)[:1])
    response = post(citizen_api, poll, choice_ids(poll)[1:2])
    assert response.status_code == 409
    assert response.json() == {"detail": "Vous avez déjà répondu à ce sondage.", "code": "conflict"}


@pytest.mark.parametrize(
    ("choices", "status"),
    [([], 400), (["abc"], 400), ("1", 400), (None, 400)],
)
def test_malformed_answers_are_400(poll, citizen_api, choices, status):
    assert post(citizen_api, poll, choices).status_code == status
    assert not Answer.objects.exists()


def test_a_foreign_choice_is_a_400_with_its_message(make_poll, citizen_api):
    poll, other = make_poll(), make_poll(question="Autre ?")
    response = post(citizen_api, poll, choice_ids(other)[:1])
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Ce choix ne fait pas partie de la question.",
        "code": "invalid",
    }


def test_anonymous_answer_is_a_403_with_the_reason(poll, town_a):
    response = post(client_for(town_a), poll, choice_ids(poll)[:1])
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Connectez-vous ou créez un compte pour participer.",
        "code": "not_allowed",
    }


def test_after_the_answer_phase_answers_are_403(poll, answer_phase, citizen_api, time_machine):
    time_machine.move_to(moment_offset("after", answer_phase), tick=False)
    citizen_api.force_login(citizen_api.user)
    response = post(citizen_api, poll, choice_ids(poll)[:1])
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Ce sondage n'est pas ouvert aux réponses.",
        "code": "not_allowed",
    }


def test_after_close_results_are_in_the_api_once_closed(
    make_poll, answer_phase, town_a, time_machine
):
    poll = make_poll(results_visibility=Poll.ResultsVisibility.AFTER_CLOSE)
    services.poll_answer(user=ParticipantFactory(), poll=poll, choice_ids=choice_ids(poll)[:1])
    assert client_for(town_a).get(list_url(poll)).json()["results"][0]["results"] is None
    time_machine.move_to(moment_offset("after", answer_phase), tick=False)
    item = client_for(town_a).get(list_url(poll)).json()["results"][0]
    assert item["results"]["respondents"] == 1


def test_a_draft_space_is_a_404(poll, town_a):
    poll.component.space.status = "draft"
    poll.component.space.save()
    assert client_for(town_a).get(list_url(poll)).status_code == 404
