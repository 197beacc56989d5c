"""Ideas are limited per author (and per address), on the page and the API alike: the limit is
in proposal_submit, which both call."""

from django.urls import reverse

from participation.ideas.models import Proposal
from tests.conftest import client_for

WAIT = "Trop de tentatives en peu de temps. Par sécurité, réessayez dans"


def test_an_author_posting_ideas_in_a_row_is_throttled_on_page_and_api(
    component, collect_phase, citizen, town_a, rate_limits
):
    rate_limits.limit("idea", account=(2, 3600), ip=(1000, 3600))
    browser = client_for(town_a)
    browser.force_login(citizen)
    page_url = reverse("ideas:submit", args=[component.space.slug, component.pk])
    api_url = reverse("ideas_api:proposals", args=[component.space.slug, component.pk])

    first = browser.post(page_url, {"title": "Un banc", "description": "Ici."})
    second = browser.post(
        api_url, {"title": "Un arbre", "description": "Là."}, content_type="application/json"
    )
    page = browser.post(page_url, {"title": "Une fontaine", "description": "Au parc."})
    api = browser.post(
        api_url, {"title": "Un abri", "description": "Arrêt."}, content_type="application/json"
    )

    assert (first.status_code, second.status_code) == (302, 201)
    assert page.status_code == 429
    assert WAIT in page.content.decode()
    assert api.status_code == 429
    assert api.json()["code"] == "throttled"
    assert Proposal.objects.count() == 2
