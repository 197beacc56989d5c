"""Staff page creating a poll in the component."""

import pytest
from django.urls import reverse

from participation.polls.models import Poll
from tests.conftest import client_for
from tests.participation.conftest import make_user


def create_url(component) -> str:
    return reverse("polls_admin:create", args=[component.space.slug, component.pk])


def browser_for(town, role):
    browser = client_for(town)
    if role != "anonymous":
        browser.force_login(make_user(role))
    return browser


FORM = {
    "question": "Quel nom pour la nouvelle médiathèque ?",
    "kind": "multiple",
    "choices": "Jules Verne\n\n  Simone Veil \nLouise Michel\n",
    "max_choices": "2",
    "results_visibility": "after_close",
}


def test_anonymous_is_sent_to_sign_in(component, town_a):
    response = browser_for(town_a, "anonymous").get(create_url(component))
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


@pytest.mark.parametrize("role", ["unverified", "citizen"])
def test_residents_may_not_create_polls(component, town_a, role):
    browser = browser_for(town_a, role)
    assert browser.get(create_url(component)).status_code == 403
    assert browser.post(create_url(component), FORM).status_code == 403
    assert not Poll.objects.exists()


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_create_a_poll(component, town_a, role):
    browser = browser_for(town_a, role)
    page = browser.get(create_url(component))
    assert page.status_code == 200
    assert 'name="choices"' in page.content.decode()

    response = browser.post(create_url(component), FORM)
    assert response.status_code == 302
    poll = Poll.objects.get(component=component)
    assert poll.kind == "multiple"
    assert poll.max_choices == 2
    assert poll.results_visibility == "after_close"
    labels = list(poll.choices.values_list("label", flat=True))
    assert labels == ["Jules Verne", "Simone Veil", "Louise Michel"]

    listing = browser.get(response["Location"]).content.decode()
    assert "Quel nom pour la nouvelle médiathèque ?" in listing
    assert "Sondage créé." in listing


def test_the_service_refusal_is_shown(component, town_a):
    browser = browser_for(town_a, "admin")
    response = browser.post(create_url(component), {**FORM, "choices": "Un seul"})
    assert response.status_code == 400
    assert "Un sondage propose entre 2 et 20 choix (1 donnés)." in response.content.decode()
    assert not Poll.objects.exists()


def test_staff_download_the_results(poll, town_a):
    url = reverse("polls_admin:export_csv", args=[poll.component.space.slug, poll.component.pk])
    response = browser_for(town_a, "moderator").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Des arbres" in response.content.decode("utf-8-sig")
    assert browser_for(town_a, "citizen").get(url).status_code == 403
