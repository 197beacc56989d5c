"""Input no person types is refused with a French message, never a 500: deep or huge JSON,
NUL characters and lone surrogates in forms and API writes, a NUL in a path."""

import json

import pytest
from django.urls import reverse

from participation.comments.models import Comment
from participation.ideas.models import Proposal
from tests.conftest import client_for
from tests.participation.factories import ComponentFactory, ParticipantFactory
from tests.participation.phases_support import running_phase_then

DEEP = "[" * 5000 + "]" * 5000


@pytest.fixture
def component(in_town_a):
    return ComponentFactory(type_key="ideas", title="Vos idées pour la ville")


@pytest.fixture
def collect_phase(component):
    return running_phase_then(component, kind="collect", then="analysis")


@pytest.fixture
def citizen(in_town_a):
    return ParticipantFactory(display_name="Camille")


@pytest.fixture
def proposal(component, collect_phase, citizen) -> Proposal:
    from participation.ideas import services

    return services.proposal_submit(
        author=citizen, component=component, title="Un banc", description="Devant la poste."
    )


def _api_url(component) -> str:
    return reverse("ideas_api:proposals", args=[component.space.slug, component.pk])


def test_deep_json_is_a_400_in_the_kernel_shape_anonymously(town_a):
    response = client_for(town_a).post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Le JSON envoyé est imbriqué sur plus de 32 niveaux.",
        "code": "invalid",
    }


def test_deep_json_to_a_component_api_is_a_400(town_a, component, collect_phase):
    response = client_for(town_a).post(_api_url(component), DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_brackets_inside_strings_do_not_count_as_depth(town_a, component, collect_phase, citizen):
    api = client_for(town_a)
    api.force_login(citizen)
    body = {"title": "[" * 100 + "{", "description": "]]]} dans le texte"}
    response = api.post(_api_url(component), body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Proposal.objects.get().title == body["title"]


def test_json_larger_than_the_limit_is_refused(town_a, component, collect_phase, settings):
    settings.API_JSON_MAX_BYTES = 1024
    body = json.dumps({"title": "x" * 2000, "description": "d"})
    response = client_for(town_a).post(_api_url(component), body, content_type="application/json")
    assert response.status_code == 400
    assert "dépasse 1 kilo-octets" in response.json()["detail"]


@pytest.mark.parametrize("text", ['"a\\u0000b"', '"\\ud800"', '"fin \\udfff"'])
def test_nul_and_lone_surrogates_in_api_writes_are_refused(
    town_a, component, collect_phase, citizen, text
):
    api = client_for(town_a)
    api.force_login(citizen)
    body = '{"title": ' + text + ', "description": "Devant la poste."}'
    response = api.post(_api_url(component), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Le texte envoyé contient un caractère non")
    assert not Proposal.objects.exists()


def test_a_paired_surrogate_escape_is_a_real_character(town_a, component, collect_phase, citizen):
    api = client_for(town_a)
    api.force_login(citizen)
    body = '{"title": "Un v\\ud83d\\udeb2lo", "description": "Devant la poste."}'
    response = api.post(_api_url(component), body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Proposal.objects.get().title == "Un v🚲lo"


def test_a_nul_in_a_comment_form_is_a_400_page_in_french(town_a, proposal, citizen):
    from django.contrib.contenttypes.models import ContentType

    page = client_for(town_a)
    page.force_login(citizen)
    content_type = ContentType.objects.get_for_model(Proposal)
    url = reverse("participation:comments:add", args=[content_type.pk, proposal.pk])
    response = page.post(url, {"body": "a\x00b"})
    assert response.status_code == 400
    assert "caractère non autorisé" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_nul_in_a_query_string_is_dropped(town_a, component):
    """A filter stores nothing: its NUL is removed and the page answers."""
    url = f"/espaces/{component.space.slug}/ideas/{component.pk}/"
    response = client_for(town_a).get(url, {"q": "vé\x00lo", "statut\x00": "x"})
    assert response.status_code == 200
    assert response.wsgi_request.GET.dict() == {"q": "vélo", "statut": "x"}


def test_a_nul_in_a_media_path_is_a_404(town_a):
    assert client_for(town_a).get(f"/media/{town_a.schema_name}/%00.pdf").status_code == 404
