"""A survey with one question of each kind, in town A, with its answer phase running now."""

import datetime

import pytest
from django.utils import timezone

from participation.surveys import services
from participation.surveys.models import Question
from tests.participation.factories import AdminFactory, ComponentFactory, PhaseFactory

Kind = Question.Kind


@pytest.fixture
def component(in_town_a):
    component = ComponentFactory(type_key="surveys", title="Consultation mobilités")
    PhaseFactory(component=component, kind="answer")
    return component


@pytest.fixture
def staff(in_town_a):
    return AdminFactory()


def build_survey(component, staff):
    survey = services.survey_create(actor=staff, component=component, title="Mobilités douces")
    first = services.section_add(actor=staff, survey=survey, title="Vos habitudes")
    second = services.section_add(actor=staff, survey=survey, title="Le vélo")
    q = {}
    q["mode"] = services.question_add(
        actor=staff,
        section=first,
        kind=Kind.SINGLE_CHOICE,
        label="Comment venez-vous ?",
        options=["À pied", "À vélo", "En voiture"],
        required=True,
    )
    q["reasons"] = services.question_add(
        actor=staff,
        section=first,
        kind=Kind.MULTIPLE_CHOICE,
        label="Pourquoi ?",
        options=["Travail", "Courses", "Loisirs", "École"],
        max_choices=2,
    )
    q["minutes"] = services.question_add(
        actor=staff,
        section=first,
        kind=Kind.NUMBER,
        label="Durée du trajet",
        min_value="0",
        max_value="120",
    )
    q["safety"] = services.question_add(
        actor=staff,
        section=second,
        kind=Kind.SCALE,
        label="Sécurité à vélo",
        required=True,
        condition_question=q["mode"],
        condition_option=option(q["mode"], "À vélo"),
    )
    q["priorities"] = services.question_add(
        actor=staff,
        section=second,
        kind=Kind.RANKING,
        label="Priorités",
        options=["Pistes", "Parkings", "Zones 30"],
    )
    q["places"] = services.question_add(
        actor=staff,
        section=second,
        kind=Kind.MATRIX,
        label="Les lieux",
        rows=["Place du marché", "Gare"],
        columns=["Agréable", "Dangereux"],
    )
    q["where"] = services.question_add(
        actor=staff, section=second, kind=Kind.SHORT_TEXT, label="Quel endroit ?"
    )
    q["ideas"] = services.question_add(
        actor=staff, section=second, kind=Kind.LONG_TEXT, label="Vos idées"
    )
    q["day"] = services.question_add(
        actor=staff, section=second, kind=Kind.DATE, label="Date de l'atelier"
    )
    return survey, q


def option(question, label, role="choice"):
    return question.options.get(label=label, role=role)


def oid(question, label, role="choice") -> int:
    return option(question, label, role).pk


@pytest.fixture
def built(component, staff):
    return build_survey(component, staff)


def minimal_answers(q) -> dict:
    return {q["mode"].pk: str(oid(q["mode"], "À pied"))}


def later(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
