"""The citizens' pages: plain GET/POST forms that work without JavaScript."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.comments import services as comment_services
from participation.ideas import services
from participation.ideas.models import Proposal
from tests.conftest import client_for
from tests.participation.conftest import moment_offset
from tests.participation.factories import NeighbourhoodFactory, ParticipantFactory
from tests.participation.ideas.conftest import image_upload


def list_url(component) -> str:
    return reverse("ideas:detail", args=[component.space.slug, component.pk])


def submit_url(component) -> str:
    return reverse("ideas:submit", args=[component.space.slug, component.pk])


def page_url(proposal) -> str:
    return proposal.get_absolute_url()


@pytest.fixture
def browser(town_a, citizen):
    browser = client_for(town_a)
    browser.force_login(citizen)
    return browser


FORM = {
    "title": "Un verger partagé",
    "description": "Des arbres fruitiers en accès libre.",
    "address": "Parc des Tilleuls",
    "latitude": "",
    "longitude": "",
    "estimated_cost": "12000",
}


def test_the_form_works_without_javascript(component, collect_phase, browser):
    page = browser.get(submit_url(component)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert '<input type="hidden" name="latitude"' in page
    assert "<summary>Coordonnées GPS (facultatif)</summary>" in page
    assert 'type="number" name="latitude"' in page
    assert 'id="map"' in page and "participation/place_map.js" in page


def test_submitting_by_a_plain_post(component, collect_phase, browser, citizen, category):
    neighbourhood = NeighbourhoodFactory(name="Les Tilleuls")
    data = {
        **FORM,
        "category": category.pk,
        "neighbourhood": neighbourhood.pk,
        # Hidden inputs (empty without JavaScript) come first; the number inputs win.
        "latitude": ["", "48.8566"],
        "longitude": ["", "2.3522"],
        "image": image_upload(),
        "image_alt": "Le parc au printemps",
    }
    response = browser.post(submit_url(component), data)
    assert response.status_code == 302
    proposal = Proposal.objects.get(component=component)
    assert response["Location"] == page_url(proposal)
    assert proposal.author == citizen
    assert (str(proposal.latitude), str(proposal.longitude)) == ("48.856600", "2.352200")
    assert proposal.category == category
    assert proposal.neighbourhood == neighbourhood
    assert proposal.image.alt == "Le parc au printemps"

    page = browser.get(response["Location"]).content.decode()
    assert "Merci, votre idée est déposée." in page
    assert "Parc des Tilleuls" in page  # where it is, said in words without JavaScript
    assert 'data-lat="48.856600"' in page and 'data-lng="2.352200"' in page
    assert "Déposée" in page  # the timeline


def test_a_refused_submission_shows_the_reason_and_keeps_the_input(
    component, collect_phase, browser
):
    response = browser.post(submit_url(component), {**FORM, "estimated_cost": "-3"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Coût estimé : le montant ne peut pas être négatif." in page
    assert "Un verger partagé" in page
    assert not Proposal.objects.exists()


def test_submitting_out_of_the_collect_phase_is_403(
    component, collect_phase, browser, citizen, time_machine
):
    time_machine.move_to(moment_offset("after", collect_phase), tick=False)
    browser.force_login(citizen)
    assert browser.get(submit_url(component)).status_code == 403
    response = browser.post(submit_url(component), FORM)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Le dépôt d&#x27;idées n&#x27;est pas ouvert pendant cette phase." in page
    assert not Proposal.objects.exists()


def test_anonymous_is_sent_to_sign_in(component, collect_phase, town_a):
    response = client_for(town_a).post(submit_url(component), FORM)
    assert response.status_code == 302
    assert "/compte/" in response["Location"]
    assert not Proposal.objects.exists()


def test_a_script_tag_is_shown_escaped(submit, citizen, town_a, component):
    proposal = submit(citizen, title="<script>alert('x')</script>", description="<b>gras</b>")
    page = client_for(town_a).get(page_url(proposal)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page
    listing = client_for(town_a).get(list_url(component)).content.decode()
    assert "<script>alert" not in listing
    assert "&lt;script&gt;" in listing


def test_the_list_filters_and_counts_without_javascript(
    submit, citizen, staff, town_a, component, category
):
    east = NeighbourhoodFactory(name="Quartier Est")
    first = submit(citizen, title="Arceaux", category=category, neighbourhood=east)
    second = submit(citizen, title="Verger")
    third = submit(citizen, title="Boîte à livres")
    duplicate = submit(citizen, title="Doublon des arceaux")
    services.proposal_mark_eligible(actor=staff, proposal=second)
    services.proposal_mark_ineligible(actor=staff, proposal=third, reason="Hors sujet.")
    services.proposal_merge(actor=staff, duplicate=duplicate, into=first)
    for user in (ParticipantFactory(), ParticipantFactory()):
        comment_services.support_toggle(user=user, item=first, support=True)

    page = client_for(town_a).get(list_url(component)).content.decode()
    assert "1 déposée" in page and "1 recevable" in page and "1 non recevable" in page
    assert "Arceaux" in page and "Verger" in page
    assert "Doublon des arceaux" not in page  # merged: hidden from the list
    assert "2 soutiens" in page
    assert '<form method="get"' in page

    by_category = client_for(town_a).get(list_url(component), {"category": category.pk})
    assert "Arceaux" in by_category.content.decode()
    assert "Verger" not in by_category.content.decode()
    by_place = client_for(town_a).get(list_url(component), {"neighbourhood": east.pk})
    assert "Verger" not in by_place.content.decode()
    by_status = client_for(town_a).get(list_url(component), {"status": "eligible"}).content
    assert "Verger" in by_status.decode() and "Arceaux" not in by_status.decode()
    # A value that means nothing is ignored, not an error.
    assert client_for(town_a).get(list_url(component), {"status": "x"}).status_code == 200


def test_the_list_costs_the_same_queries_whatever_the_number_of_proposals(
    submit, citizen, town_a, component
):
    browser = client_for(town_a)
    submit(citizen, title="Une")
    browser.get(list_url(component))  # the engine's caches filled (the URL guard's...)
    with CaptureQueriesContext(connection) as one:
        browser.get(list_url(component))
    for number in range(5):
        proposal = submit(citizen, title=f"Idée {number}")
        comment_services.support_toggle(user=ParticipantFactory(), item=proposal, support=True)
    with CaptureQueriesContext(connection) as six:
        browser.get(list_url(component))
    assert len(six.captured_queries) == len(one.captured_queries)


def test_the_proposal_page_shows_the_timeline_and_public_reasons(proposal, staff, town_a):
    services.proposal_note(
        actor=staff, proposal=proposal, feasibility_note="Note interne secrète", cost_estimate=1
    )
    services.proposal_mark_ineligible(
        actor=staff, proposal=proposal, reason="Le terrain appartient au Département."
    )
    page = client_for(town_a).get(page_url(proposal)).content.decode()
    assert "En analyse" in page and "Non recevable" in page
    assert "Le terrain appartient au Département." in page
    assert "Note interne secrète" not in page  # staff only
    assert 'id="map"' not in page  # no coordinates: no map, the place in words
    assert "Toute la ville" in page


def test_a_merged_proposal_says_where_it_went(submit, citizen, staff, town_a):
    into, duplicate = submit(citizen, title="Le bon"), submit(citizen, title="Le doublon")
    services.proposal_merge(actor=staff, duplicate=duplicate, into=into)
    page = client_for(town_a).get(page_url(duplicate)).content.decode()
    assert "Cette idée a été fusionnée avec « " in page
    assert page_url(into) in page


def test_supports_and_comments_by_plain_posts(proposal, browser, citizen):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Proposal)
    support = reverse("participation:comments:support", args=[content_type.pk, proposal.pk])
    assert browser.post(support, {"support": "1"}).status_code == 302
    comment = reverse("participation:comments:add", args=[content_type.pk, proposal.pk])
    assert browser.post(comment, {"body": "Bonne idée !"}).status_code == 302
    page = browser.get(page_url(proposal)).content.decode()
    assert "1 soutien" in page
    assert "Bonne idée !" in page


def test_the_author_edits_by_a_plain_post(proposal, browser):
    url = reverse(
        "ideas:edit", args=[proposal.component.space.slug, proposal.component.pk, proposal.pk]
    )
    assert browser.get(url).status_code == 200
    response = browser.post(url, {**FORM, "title": "Un verger partagé et un rucher"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Un verger partagé et un rucher"


def test_others_may_not_open_the_edit_page(proposal, town_a):
    url = reverse(
        "ideas:edit", args=[proposal.component.space.slug, proposal.component.pk, proposal.pk]
    )
    other = client_for(town_a)
    other.force_login(ParticipantFactory())
    assert other.get(url).status_code == 403
    assert other.post(url, FORM).status_code == 403
