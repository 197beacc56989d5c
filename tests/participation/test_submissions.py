"""A double click or a retried request creates one idea, one comment: ten identical requests
at once (the form's one-time key, or the API's Idempotency-Key) leave one row, and every one
of them is answered with the first one's result."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.models import User
from participation.comments.models import Comment
from participation.ideas import services as idea_services
from participation.ideas.models import Proposal
from participation.models import Submission
from tests.conftest import TOWN_A, client_for
from tests.participation.factories import ComponentFactory, ParticipantFactory
from tests.participation.phases_support import running_phase_then

TEN = 10


@pytest.fixture
def committed_world(django_db_setup, committed_db):
    """A call for ideas collecting now and a resident, committed (the requests run on their own
    connections); removed afterwards."""
    from tenants.models import Tenant

    town = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town):
        resident = ParticipantFactory()
        component = ComponentFactory(type_key="ideas")
        running_phase_then(component, kind="collect", then="analysis")
    yield town, resident, component
    with tenant_context(town):
        Submission.objects.filter(user=resident).delete()
        Comment.objects.filter(author=resident).delete()
        Proposal.objects.filter(component=component).delete()
        component.space.delete()
        User.objects.filter(pk=resident.pk).delete()


def _ten_at_once(town, resident, send) -> list:
    """``send(client)`` from ten signed-in browsers of the same person, released together."""
    clients = [client_for(town) for _ in range(TEN)]
    with tenant_context(town):
        for client in clients:
            client.force_login(resident)
    barrier = threading.Barrier(TEN)
    responses: list = [None] * TEN

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            responses[index] = send(clients[index])
        except Exception as exc:  # asserted on below
            responses[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(TEN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


def test_ten_identical_idea_forms_at_once_create_one_idea(committed_world):
    town, resident, component = committed_world
    url = f"/espaces/{component.space.slug}/ideas/{component.pk}/deposer/"
    form = {
        "title": "Des arceaux à vélos",
        "description": "Devant la médiathèque.",
        "submission_key": "0f0e0d0c0b0a09080706050403020100",
    }

    responses = _ten_at_once(town, resident, lambda client: client.post(url, form))

    assert all(getattr(r, "status_code", r) == 302 for r in responses), responses
    with tenant_context(town):
        [proposal] = Proposal.objects.filter(component=component)
        assert {r["Location"] for r in responses} == {proposal.get_absolute_url()}


def test_the_idea_form_carries_a_new_key_each_time(committed_world):
    town, resident, component = committed_world
    page = client_for(town)
    with tenant_context(town):
        page.force_login(resident)
    url = f"/espaces/{component.space.slug}/ideas/{component.pk}/deposer/"
    keys = [
        page.get(url).content.decode().split('name="submission_key" value="')[1][:32]
        for _ in range(2)
    ]
    assert keys[0] != keys[1]
    for key in keys:  # two forms (two ideas meant): two ideas
        page.post(url, {"title": "Un banc", "description": "Ici.", "submission_key": key})
    with tenant_context(town):
        assert Proposal.objects.filter(component=component).count() == 2


def test_ten_identical_comment_forms_at_once_create_one_comment(committed_world):
    town, resident, component = committed_world
    with tenant_context(town):
        proposal = idea_services.proposal_submit(
            author=resident, component=component, title="Un banc", description="Ici."
        )
        content_type = ContentType.objects.get_for_model(Proposal).pk
    url = f"/commentaires/{content_type}/{proposal.pk}/"
    form = {"body": "Bonne idée !", "submission_key": "a" * 32}

    responses = _ten_at_once(town, resident, lambda client: client.post(url, form))

    assert all(getattr(r, "status_code", r) == 302 for r in responses), responses
    with tenant_context(town):
        [comment] = Comment.objects.filter(author=resident)
    assert {r["Location"].split("#")[1] for r in responses} == {f"comment-{comment.pk}"}


def test_ten_identical_api_posts_with_an_idempotency_key_create_one_proposal(committed_world):
    town, resident, component = committed_world
    url = f"/api/v1/espaces/{component.space.slug}/ideas/{component.pk}/"
    body = {"title": "Un banc", "description": "Devant la poste."}

    responses = _ten_at_once(
        town,
        resident,
        lambda client: client.post(
            url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="essai-1"
        ),
    )

    assert all(getattr(r, "status_code", r) == 201 for r in responses), responses
    with tenant_context(town):
        [proposal] = Proposal.objects.filter(component=component)
    assert {r.json()["id"] for r in responses} == {proposal.pk}
