"""Changing a survey once built: wording, settings and choices, order, removal; refused with
its reason once answers would be falsified, with a new version offered instead."""

import pytest

from core.errors import Conflict, Invalid
from participation.surveys import services
from participation.surveys.models import AnswerValue, Option, Question, Response, Survey
from tests.participation.conftest import logged_in
from tests.participation.factories import ParticipantFactory

from .conftest import minimal_answers, oid
from .test_views import url

Kind = Question.Kind


def answered(survey, q):
    return services.survey_submit(
        user=ParticipantFactory(), survey=survey, answers=minimal_answers(q)
    )


def labels(question) -> list[str]:
    return list(question.options.filter(role="choice").values_list("label", flat=True))


def update(staff, question, **fields):
    current = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "options": labels(question),
        "max_choices": question.max_choices,
    }
    return services.question_update(actor=staff, question=question, **(current | fields))


def order(section) -> list[str]:
    return list(section.questions.order_by("position", "pk").values_list("label", flat=True))


# Before any answer: everything may change


def test_choices_are_relabelled_in_place_added_and_removed(built, staff):
    _survey, q = built
    reasons = q["reasons"]
    kept = oid(reasons, "Travail")
    update(staff, reasons, label="Pour quoi faire ?", options=["Emploi", "Courses", "Loisirs"])
    reasons.refresh_from_db()
    assert reasons.label == "Pour quoi faire ?"
    assert labels(reasons) == ["Emploi", "Courses", "Loisirs"]
    assert oid(reasons, "Emploi") == kept  # the first choice keeps its id, relabelled
    update(staff, reasons, options=["Emploi", "Courses", "Loisirs", "Santé", "Famille"])
    assert labels(reasons) == ["Emploi", "Courses", "Loisirs", "Santé", "Famille"]


def test_settings_are_checked_as_when_adding(built, staff):
    _survey, q = built
    with pytest.raises(Invalid, match="entre 1 et 4"):
        update(staff, q["reasons"], max_choices=9)
    with pytest.raises(Invalid, match="au moins 2"):
        update(staff, q["reasons"], options=["Seul"])
    with pytest.raises(Invalid, match="unique"):
        update(staff, q["reasons"], options=["A", "a"])
    with pytest.raises(Invalid, match="minimale dépasse"):
        services.question_update(
            actor=staff, question=q["minutes"], label="Durée", min_value="9", max_value="1"
        )
    q["reasons"].refresh_from_db()
    assert q["reasons"].max_choices == 2 and len(labels(q["reasons"])) == 4


def test_a_choice_that_conditions_another_question_cannot_go(component, staff):
    survey = services.survey_create(actor=staff, component=component, title="Transports")
    section = services.section_add(actor=staff, survey=survey, title="Partie")
    mode = services.question_add(
        actor=staff,
        section=section,
        kind=Kind.SINGLE_CHOICE,
        label="Comment ?",
        options=["À pied", "En voiture", "À vélo"],
    )
    services.question_add(
        actor=staff,
        section=section,
        kind=Kind.SHORT_TEXT,
        label="Quel vélo ?",
        condition_question=mode,
        condition_option=mode.options.get(label="À vélo"),
    )
    with pytest.raises(Invalid, match=r"sert de condition à « Quel vélo \? »"):
        update(staff, mode, options=["À pied", "En voiture"])
    assert labels(mode) == ["À pied", "En voiture", "À vélo"]
    update(staff, mode, options=["À pied", "En auto", "À bicyclette"])  # relabelled in place
    assert Question.objects.get(label="Quel vélo ?").condition_option.label == "À bicyclette"


def test_a_question_is_removed_unless_another_depends_on_it(built, staff):
    survey, q = built
    with pytest.raises(Invalid, match="conditionne « Sécurité à vélo »"):
        services.question_delete(actor=staff, question=q["mode"])
    services.question_delete(actor=staff, question=q["where"])
    assert not Question.objects.filter(pk=q["where"].pk).exists()
    assert Question.objects.filter(section__survey=survey).count() == 8


def test_questions_move_up_and_down_and_stay_after_their_condition(built, staff):
    _survey, q = built
    first = q["mode"].section
    services.question_move(actor=staff, question=q["minutes"], direction="up")
    assert order(first) == ["Comment venez-vous ?", "Durée du trajet", "Pourquoi ?"]
    services.question_move(actor=staff, question=q["mode"], direction="up")  # at the top
    services.question_move(actor=staff, question=q["mode"], direction="down")
    assert order(first) == ["Durée du trajet", "Comment venez-vous ?", "Pourquoi ?"]
    with pytest.raises(Invalid, match="Direction inconnue"):
        services.question_move(actor=staff, question=q["mode"], direction="sideways")


def test_a_conditional_question_cannot_move_above_its_condition(component, staff):
    survey = services.survey_create(actor=staff, component=component, title="Vélo")
    section = services.section_add(actor=staff, survey=survey, title="Partie")
    bike = services.question_add(
        actor=staff,
        section=section,
        kind=Kind.SINGLE_CHOICE,
        label="Vélo ?",
        options=["Oui", "Non"],
    )
    how_often = services.question_add(
        actor=staff,
        section=section,
        kind=Kind.SHORT_TEXT,
        label="Combien de fois ?",
        condition_question=bike,
        condition_option=bike.options.get(label="Oui"),
    )
    with pytest.raises(Invalid, match=r"dépend de la réponse à « Vélo \? »"):
        services.question_move(actor=staff, question=how_often, direction="up")
    assert order(section) == ["Vélo ?", "Combien de fois ?"]


# Once answered: wording and order only


def test_once_answered_wording_and_order_change_but_nothing_that_falsifies(built, staff):
    survey, q = built
    answered(survey, q)
    mode = q["mode"]
    update(
        staff, mode, label="Comment venez-vous au centre ?", options=["À pied", "À vélo", "En auto"]
    )
    assert labels(mode) == ["À pied", "À vélo", "En auto"]
    services.question_move(actor=staff, question=q["reasons"], direction="up")

    refusals = [
        lambda: update(staff, mode, options=["À pied", "À vélo", "En auto", "En bus"]),
        lambda: update(staff, mode, required=False),
        lambda: update(staff, q["reasons"], max_choices=3),
        lambda: services.question_delete(actor=staff, question=q["ideas"]),
    ]
    for refusal in refusals:
        with pytest.raises(Conflict, match=r"1 réponse : .* la fausserait\. Créez-en une nouvelle"):
            refusal()
    mode.refresh_from_db()
    assert mode.required and len(labels(mode)) == 3
    assert Question.objects.filter(pk=q["ideas"].pk).exists()
    assert AnswerValue.objects.filter(question=mode).count() == 1


def test_a_new_version_copies_the_structure_and_no_answer(built, staff):
    survey, q = built
    answered(survey, q)
    copy = services.survey_new_version(actor=staff, survey=survey)
    assert copy.title == "Mobilités douces (nouvelle version)"
    assert copy.component_id == survey.component_id
    assert not Response.objects.filter(survey=copy).exists()

    def shape(of: Survey):
        return [
            (
                s.title,
                s.position,
                qu.label,
                qu.kind,
                qu.required,
                [o.label for o in qu.options.all()],
            )
            for s in of.sections.all()
            for qu in s.questions.all()
        ]

    assert shape(copy) == shape(survey)
    safety = Question.objects.get(section__survey=copy, label="Sécurité à vélo")
    assert safety.condition_question.section.survey_id == copy.pk
    assert safety.condition_option.label == "À vélo"
    assert safety.condition_option.question_id == safety.condition_question_id
    copied_options = Option.objects.filter(question__section__survey=copy).count()
    assert copied_options == Option.objects.filter(question__section__survey=survey).count() > 0
    # The copy changes freely; the answered survey is untouched.
    services.question_delete(
        actor=staff, question=Question.objects.get(section__survey=copy, label="Vos idées")
    )
    assert Question.objects.filter(pk=q["ideas"].pk).exists()


# The pages, without JavaScript


def test_the_pages_edit_move_and_remove_questions(built, town_a, staff):
    survey, q = built
    client = logged_in(town_a, staff)
    base = url(survey.component, "survey", survey.pk, admin=True)
    edit = f"{base}questions/{q['reasons'].pk}/"
    page = client.get(edit)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Travail\nCourses\nLoisirs\nÉcole" in html
    assert 'name="min_value"' not in html  # only what this kind uses

    refused = client.post(edit, {"label": "Pourquoi ?", "options": "Seul"})
    assert refused.status_code == 400
    assert "au moins 2" in refused.content.decode()
    saved = client.post(
        edit, {"label": "Pourquoi donc ?", "options": "Travail\nCourses"}, follow=True
    )
    assert "Question enregistrée." in saved.content.decode()
    assert labels(q["reasons"]) == ["Travail", "Courses"]

    client.post(f"{base}questions/{q['minutes'].pk}/deplacer/", {"direction": "up"})
    assert order(q["mode"].section) == [
        "Comment venez-vous ?",
        "Durée du trajet",
        "Pourquoi donc ?",
    ]

    remove = f"{base}questions/{q['where'].pk}/supprimer/"
    assert "seront supprimés" in client.get(remove).content.decode()
    client.post(remove)
    assert not Question.objects.filter(pk=q["where"].pk).exists()


def test_the_page_refuses_with_the_reason_and_offers_a_new_version(built, town_a, staff):
    survey, q = built
    answered(survey, q)
    client = logged_in(town_a, staff)
    base = url(survey.component, "survey", survey.pk, admin=True)
    page = client.get(base).content.decode()
    assert "Créer une nouvelle version" in page
    assert f"questions/{q['ideas'].pk}/supprimer/" not in page

    refused = client.post(f"{base}questions/{q['ideas'].pk}/supprimer/")
    assert refused.status_code == 409
    assert "fausserait" in refused.content.decode()
    edit = client.post(
        f"{base}questions/{q['mode'].pk}/",
        {"label": "Comment ?", "options": "À pied\nÀ vélo\nEn voiture\nEn bus", "required": "on"},
    )
    assert edit.status_code == 400
    assert "nouvelle version" in edit.content.decode()

    made = client.post(f"{base}nouvelle-version/")
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert made["Location"] == url(survey.component, "survey", copy.pk, admin=True)


def test_residents_cannot_change_questions(built, town_a, participant):
    survey, q = built
    client = logged_in(town_a, participant)
    base = url(survey.component, "survey", survey.pk, admin=True)
    assert client.post(f"{base}questions/{q['where'].pk}/supprimer/").status_code == 403
    assert client.post(f"{base}questions/{q['where'].pk}/", {"label": "x"}).status_code == 403
    assert client.post(f"{base}nouvelle-version/").status_code == 403
    assert Question.objects.filter(pk=q["where"].pk, label="Quel endroit ?").exists()


@pytest.fixture
def participant(in_town_a):
    return ParticipantFactory()
