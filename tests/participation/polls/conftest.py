"""A polls component of town A with an answer phase running now, then a results phase."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.polls import services
from participation.polls.models import Poll
from tests.participation.factories import AdminFactory, ComponentFactory, PhaseFactory

CHOICES = ["Des arbres", "Des bancs", "Une aire de jeux"]


@pytest.fixture
def component(in_town_a):
    return ComponentFactory(type_key="polls", title="Sondages de la place du marché")


@pytest.fixture
def answer_phase(component):
    now = timezone.now()
    phase = PhaseFactory(
        component=component,
        kind="answer",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=14),
    )
    PhaseFactory(
        component=component,
        kind="results",
        starts_at=phase.ends_at,
        ends_at=phase.ends_at + datetime.timedelta(days=30),
    )
    return phase


@pytest.fixture
def staff(in_town_a):
    return AdminFactory()


@pytest.fixture
def make_poll(component, answer_phase, staff):
    def make(**overrides) -> Poll:
        arguments = {
            "question": "Que voulez-vous sur la place ?",
            "kind": Poll.Kind.SINGLE,
            "choices": CHOICES,
            "max_choices": None,
            "results_visibility": Poll.ResultsVisibility.AFTER_ANSWER,
            **overrides,
        }
        return services.poll_create(actor=staff, component=component, **arguments)

    return make


@pytest.fixture
def poll(make_poll) -> Poll:
    return make_poll()


def choice_ids(poll: Poll) -> list[int]:
    return list(poll.choices.values_list("pk", flat=True))


def list_url(poll: Poll) -> str:
    return reverse("polls_api:polls", args=[poll.component.space.slug, poll.component.pk])


def api_answer_url(poll: Poll) -> str:
    return reverse("polls_api:answer", args=[poll.component.space.slug, poll.component.pk, poll.pk])


def page_url(poll: Poll) -> str:
    return reverse("polls:detail", args=[poll.component.space.slug, poll.component.pk])


def answer_url(poll: Poll) -> str:
    return reverse("polls:answer", args=[poll.component.space.slug, poll.component.pk, poll.pk])
