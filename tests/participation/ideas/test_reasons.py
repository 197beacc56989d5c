"""The ideas pages and API give the reason the service would give: the submit button shows
exactly when proposal_submit would accept, else its reason does."""

import html

import pytest
from django.urls import reverse

from core.errors import NotAllowed
from core.rules import why_not
from participation.ideas import services
from tests.conftest import client_for
from tests.participation.conftest import MOMENTS, ROLES, make_user, moment_offset

CLOSED = "Le dépôt d'idées n'est pas ouvert pendant cette phase."


def list_page(town, component, user) -> str:
    browser = client_for(town)
    if user.is_authenticated:
        browser.force_login(user)
    response = browser.get(reverse("ideas:detail", args=[component.space.slug, component.pk]))
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_the_list_offers_submitting_exactly_when_the_service_accepts(
    component, collect_phase, time_machine, town_a, role, moment
):
    user = make_user(role)
    time_machine.move_to(moment_offset(moment, collect_phase), tick=False)
    reason = why_not(user, "ideas.add_proposal", component)
    submit_url = reverse("ideas:submit", args=[component.space.slug, component.pk])
    page = list_page(town_a, component, user)
    if moment != "during":
        assert reason == CLOSED  # the phase first, whoever asks
    assert (submit_url in page) is (reason is None)
    if reason is None:
        services.proposal_submit(author=user, component=component, title="Banc", description="Ici")
    else:
        if user.is_authenticated:
            assert reason in page
        with pytest.raises(NotAllowed, match=reason[:30]):
            services.proposal_submit(
                author=user, component=component, title="Banc", description="Ici"
            )


def test_the_api_refuses_with_the_same_reason(component, collect_phase, time_machine, town_a):
    time_machine.move_to(moment_offset("after", collect_phase), tick=False)
    api = client_for(town_a)
    api.force_login(make_user("citizen"))
    response = api.post(
        reverse("ideas_api:proposals", args=[component.space.slug, component.pk]),
        {"title": "Un banc", "description": "Ici."},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": CLOSED, "code": "not_allowed"}


def test_the_edit_page_says_why_not(proposal, citizen, staff, town_a):
    services.proposal_assign(actor=staff, proposal=proposal, service="Voirie")
    browser = client_for(town_a)
    browser.force_login(citizen)
    edit = reverse(
        "ideas:edit", args=[proposal.component.space.slug, proposal.component.pk, proposal.pk]
    )
    response = browser.get(edit)
    assert response.status_code == 403
    assert "déjà examinée par la mairie" in html.unescape(response.content.decode())
    assert 'enctype="multipart/form-data"' not in response.content.decode()
