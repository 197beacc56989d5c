"""Answering a survey: every kind's validation, conditional questions, all or nothing."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from core.errors import ApplicationError, NotAllowed
from participation.surveys import services
from participation.surveys.models import AnswerValue, Question, Response, Survey
from tests.participation.factories import ComponentFactory, ParticipantFactory, PhaseFactory

from .conftest import build_survey, minimal_answers, oid, option

Kind = Question.Kind
FOREIGN = "Ce choix ne fait pas partie de la question."


def submit(survey, answers, user=None):
    return services.survey_submit(user=user or ParticipantFactory(), survey=survey, answers=answers)


def errors_of(survey, answers) -> dict[int, str]:
    with pytest.raises(services.SurveyInvalid) as caught:
        submit(survey, answers)
    assert Response.objects.filter(survey=survey).count() == 0
    return caught.value.errors


def one_question_survey(component, staff, title, **question):
    """A survey of one section holding one question built from `question`."""
    survey = services.survey_create(actor=staff, component=component, title=title)
    section = services.section_add(actor=staff, survey=survey, title="Partie")
    return survey, services.question_add(actor=staff, section=section, **question)


def test_a_full_answer_is_stored_typed(built):
    survey, q = built
    user = ParticipantFactory()
    response = submit(
        survey,
        {
            q["mode"].pk: str(oid(q["mode"], "À vélo")),
            q["reasons"].pk: [str(oid(q["reasons"], "Loisirs")), str(oid(q["reasons"], "Travail"))],
            q["minutes"].pk: "12,5",
            q["safety"].pk: "4",
            q["priorities"].pk: {
                str(oid(q["priorities"], "Zones 30")): "1",
                str(oid(q["priorities"], "Pistes")): "2",
                str(oid(q["priorities"], "Parkings")): "3",
            },
            q["places"].pk: {
                str(oid(q["places"], "Gare", "row")): str(oid(q["places"], "Dangereux", "column"))
            },
            q["where"].pk: "  Rue de la Gare  ",
            q["ideas"].pk: "Plus d'arceaux.",
            q["day"].pk: "2027-04-12",
        },
        user=user,
    )
    values = {v.question_id: v for v in AnswerValue.objects.filter(response=response)}
    assert response.user == user
    assert values[q["mode"].pk].choices == [oid(q["mode"], "À vélo")]
    # Multiple choices are kept in the question's order.
    assert values[q["reasons"].pk].choices == [
        oid(q["reasons"], "Travail"),
        oid(q["reasons"], "Loisirs"),
    ]
    assert values[q["minutes"].pk].number == Decimal("12.5")
    assert values[q["safety"].pk].number == 4
    assert values[q["priorities"].pk].choices == [
        oid(q["priorities"], "Zones 30"),
        oid(q["priorities"], "Pistes"),
        oid(q["priorities"], "Parkings"),
    ]
    assert values[q["places"].pk].choices == {
        str(oid(q["places"], "Gare", "row")): oid(q["places"], "Dangereux", "column")
    }
    assert values[q["where"].pk].text == "Rue de la Gare"
    assert values[q["day"].pk].date == datetime.date(2027, 4, 12)


def test_required_question_must_be_answered(built):
    survey, q = built
    errors = errors_of(survey, {q["where"].pk: "Place du marché"})
    assert errors == {q["mode"].pk: "Cette question est obligatoire."}


def test_conditional_question_hidden_is_not_required_and_its_answer_discarded(built):
    survey, q = built
    # On foot: the bicycle safety question (required) is hidden, so not required...
    response = submit(survey, {q["mode"].pk: str(oid(q["mode"], "À pied")), q["safety"].pk: "9"})
    # ...and even an invalid answer to it is discarded, not stored.
    assert not AnswerValue.objects.filter(response=response, question=q["safety"]).exists()


def test_conditional_question_shown_is_required(built):
    survey, q = built
    errors = errors_of(survey, {q["mode"].pk: str(oid(q["mode"], "À vélo"))})
    assert errors == {q["safety"].pk: "Cette question est obligatoire."}
    response = submit(survey, {q["mode"].pk: str(oid(q["mode"], "À vélo")), q["safety"].pk: 5})
    assert AnswerValue.objects.get(response=response, question=q["safety"]).number == 5


def test_condition_on_a_hidden_question_is_not_met(component, staff):
    survey, q = build_survey(component, staff)
    chained = services.question_add(
        actor=staff,
        section=q["safety"].section,
        kind=Kind.SINGLE_CHOICE,
        label="Avez-vous un vélo ?",
        options=["Oui", "Non"],
        condition_question=q["mode"],
        condition_option=option(q["mode"], "À vélo"),
    )
    third = services.question_add(
        actor=staff,
        section=q["safety"].section,
        kind=Kind.SHORT_TEXT,
        label="Lequel ?",
        required=True,
        condition_question=chained,
        condition_option=option(chained, "Oui"),
    )
    answers = {**minimal_answers(q), chained.pk: str(oid(chained, "Oui"))}
    response = submit(survey, answers)
    assert set(response.values.values_list("question_id", flat=True)) == {q["mode"].pk}
    assert third.pk not in response.values.values_list("question_id", flat=True)


def test_all_errors_are_collected_at_once(built):
    survey, q = built
    errors = errors_of(
        survey,
        {
            q["mode"].pk: "999999",
            q["reasons"].pk: [
                str(oid(q["reasons"], name)) for name in ("Travail", "Courses", "École")
            ],
            q["minutes"].pk: "500",
            q["where"].pk: "x" * 301,
            q["day"].pk: "31/02/2027",
        },
    )
    assert errors == {
        q["mode"].pk: FOREIGN,
        q["reasons"].pk: "Choisissez 2 réponses au plus.",
        q["minutes"].pk: "Saisissez un nombre entre 0 et 120.",
        q["where"].pk: "Votre réponse compte 301 caractères, 300 au plus.",
        q["day"].pk: "Saisissez une date valide, au format JJ/MM/AAAA.",
    }
    assert str(services.SurveyInvalid(errors)).startswith("Le questionnaire contient 5 erreurs")


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("where", "   ", None),  # blank optional text: no answer, no error
        ("ideas", "y" * 5001, "Votre réponse compte 5001 caractères, 5000 au plus."),
        ("ideas", ["liste"], "Saisissez un texte."),
        ("mode", "abc", FOREIGN),
        ("mode", True, FOREIGN),
        ("reasons", ["1", "1"], FOREIGN),
        ("minutes", "douze", "Saisissez un nombre (par exemple 12 ou 12,5)."),
        ("minutes", "NaN", "Saisissez un nombre (par exemple 12 ou 12,5)."),
        ("minutes", "-1", "Saisissez un nombre entre 0 et 120."),
        ("minutes", "1.23456", "4 chiffres après la virgule au plus."),
        ("day", "2027-13-01", "Saisissez une date valide, au format JJ/MM/AAAA."),
        ("day", "1492-10-12", "Saisissez une date valide, au format JJ/MM/AAAA."),
        ("places", "Gare", "Choisissez une colonne pour chaque ligne du tableau."),
    ],
)
def test_bad_input_is_refused(built, key, raw, message):
    survey, q = built
    answers = {**minimal_answers(q), q[key].pk: raw}
    if message is None:
        response = submit(survey, answers)
        assert not response.values.filter(question=q[key]).exists()
    else:
        assert errors_of(survey, answers) == {q[key].pk: message}


def test_foreign_choice_of_another_question_is_refused(built):
    survey, q = built
    answers = {**minimal_answers(q), q["reasons"].pk: [str(oid(q["mode"], "À vélo"))]}
    assert errors_of(survey, answers) == {q["reasons"].pk: FOREIGN}


def test_repeated_multiple_choice_is_refused(built):
    survey, q = built
    work = str(oid(q["reasons"], "Travail"))
    answers = {**minimal_answers(q), q["reasons"].pk: [work, work]}
    assert errors_of(survey, answers) == {
        q["reasons"].pk: "Un même choix est donné plusieurs fois."
    }


@pytest.mark.parametrize("value", ["0", "6", "3.5", "trois"])
def test_scale_out_of_range(built, value):
    survey, q = built
    answers = {q["mode"].pk: str(oid(q["mode"], "À vélo")), q["safety"].pk: value}
    assert errors_of(survey, answers) == {q["safety"].pk: "Choisissez une valeur entre 1 et 5."}


def test_ranking_errors(built):
    survey, q = built
    rank = q["priorities"]
    a, b, c = (oid(rank, name) for name in ("Pistes", "Parkings", "Zones 30"))
    cases = [
        ([a, a, b], "Un même choix est classé plusieurs fois."),
        ([a, b, 999999], FOREIGN),
        ([a, b], "Classez tous les choix (3)."),
        ({str(a): "1", str(b): "1", str(c): "2"}, "Chaque rang ne peut être donné qu'une fois."),
        ({str(a): "1", str(b): "3", str(c): ""}, "Les rangs doivent se suivre à partir de 1."),
    ]
    for raw, message in cases:
        assert errors_of(survey, {**minimal_answers(q), rank.pk: raw}) == {rank.pk: message}
    # A list in rank order is accepted as well as ranks.
    response = submit(survey, {**minimal_answers(q), rank.pk: [c, a, b]})
    assert response.values.get(question=rank).choices == [c, a, b]


def test_ranking_top_k(component, staff):
    survey, rank = one_question_survey(
        component,
        staff,
        "Top 2",
        kind=Kind.RANKING,
        label="Vos deux priorités",
        options=["A", "B", "C", "D"],
        max_choices=2,
    )
    assert errors_of(survey, {rank.pk: [oid(rank, "A")]}) == {
        rank.pk: "Classez vos 2 choix préférés."
    }
    response = submit(survey, {rank.pk: [oid(rank, "D"), oid(rank, "B")]})
    assert response.values.get().choices == [oid(rank, "D"), oid(rank, "B")]


def test_matrix_errors(component, staff):
    survey, matrix = one_question_survey(
        component,
        staff,
        "Tableau",
        kind=Kind.MATRIX,
        label="Les lieux",
        rows=["Marché", "Gare"],
        columns=["Bien", "Mal"],
        required=True,
    )
    market, station = oid(matrix, "Marché", "row"), oid(matrix, "Gare", "row")
    good, bad = oid(matrix, "Bien", "column"), oid(matrix, "Mal", "column")
    assert errors_of(survey, {matrix.pk: {str(market): str(good)}}) == {
        matrix.pk: "Répondez pour chaque ligne du tableau."
    }
    assert errors_of(survey, {matrix.pk: {str(market): str(market), str(station): good}}) == {
        matrix.pk: FOREIGN
    }
    assert errors_of(survey, {matrix.pk: {"424242": good, str(station): good}}) == {
        matrix.pk: FOREIGN
    }
    assert errors_of(survey, {matrix.pk: {str(market): [good, bad], str(station): good}}) == {
        matrix.pk: "Choisissez une seule colonne par ligne."
    }
    response = submit(survey, {matrix.pk: {str(market): str(good), str(station): str(bad)}})
    assert response.values.get().choices == {str(market): good, str(station): bad}


def test_nothing_half_saved_when_a_value_fails_to_insert(built, monkeypatch):
    survey, q = built

    def broken(*args, **kwargs):
        raise RuntimeError("panne au milieu de l'enregistrement")

    monkeypatch.setattr(AnswerValue.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        submit(survey, minimal_answers(q))
    assert Response.objects.filter(survey=survey).count() == 0


def test_empty_submission_is_refused(component, staff):
    survey, _ = one_question_survey(component, staff, "Vide", kind=Kind.SHORT_TEXT, label="Texte")
    with pytest.raises(ApplicationError, match="Répondez à au moins une question"):
        submit(survey, {})


def test_one_response_per_account(built):
    survey, q = built
    user = ParticipantFactory()
    submit(survey, minimal_answers(q), user=user)
    with pytest.raises(ApplicationError, match="Vous avez déjà répondu à ce questionnaire"):
        submit(survey, minimal_answers(q), user=user)
    assert Response.objects.filter(survey=survey, user=user).count() == 1


def test_deleted_account_leaves_an_anonymous_response(built):
    survey, q = built
    user = ParticipantFactory()
    response = submit(survey, minimal_answers(q), user=user)
    user.delete()
    response.refresh_from_db()
    assert response.user is None
    assert response.values.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (1, 10, "Ce questionnaire n'est pas encore ouvert aux réponses."),
        (-10, -1, "Ce questionnaire n'est plus ouvert aux réponses."),
    ],
)
def test_outside_the_answer_phase_is_refused(in_town_a, staff, start, end, message):
    from .conftest import later

    component = ComponentFactory(type_key="surveys")
    PhaseFactory(component=component, kind="answer", starts_at=later(start), ends_at=later(end))
    survey, q = build_survey(component, staff)
    with pytest.raises(NotAllowed, match=message):
        submit(survey, minimal_answers(q))


def test_results_phase_does_not_allow_answers(in_town_a, staff):
    from .conftest import later

    component = ComponentFactory(type_key="surveys")
    PhaseFactory(component=component, kind="answer", starts_at=later(-10), ends_at=later(-1))
    PhaseFactory(component=component, kind="results", starts_at=later(-1), ends_at=later(30))
    survey, q = build_survey(component, staff)
    with pytest.raises(NotAllowed, match="n'est plus ouvert"):
        submit(survey, minimal_answers(q))


# Building


def test_condition_must_reference_an_earlier_choice_question(built, staff, component):
    _survey, q = built
    section = q["mode"].section
    with pytest.raises(ApplicationError, match="question à choix"):
        services.question_add(
            actor=staff,
            section=section,
            kind=Kind.SHORT_TEXT,
            label="x",
            condition_question=q["minutes"],
            condition_option=option(q["mode"], "À pied"),
        )
    with pytest.raises(ApplicationError, match="n'appartient pas à cette question"):
        services.question_add(
            actor=staff,
            section=section,
            kind=Kind.SHORT_TEXT,
            label="x",
            condition_question=q["mode"],
            condition_option=option(q["reasons"], "Travail"),
        )
    # A question of the second section is not earlier than one added to the first section.
    first_section_question_count = section.questions.count()
    later_choice = services.question_add(
        actor=staff,
        section=q["safety"].section,
        kind=Kind.SINGLE_CHOICE,
        label="Plus tard",
        options=["Oui", "Non"],
    )
    with pytest.raises(ApplicationError, match="placée avant"):
        services.question_add(
            actor=staff,
            section=section,
            kind=Kind.SHORT_TEXT,
            label="x",
            condition_question=later_choice,
            condition_option=option(later_choice, "Oui"),
        )
    _other, other_q = build_survey(component, staff)
    with pytest.raises(ApplicationError, match="de ce questionnaire"):
        services.question_add(
            actor=staff,
            section=section,
            kind=Kind.SHORT_TEXT,
            label="x",
            condition_question=other_q["mode"],
            condition_option=option(other_q["mode"], "À pied"),
        )
    assert section.questions.count() == first_section_question_count


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": Kind.SINGLE_CHOICE, "options": ["Seul"]}, "au moins 2"),
        ({"kind": Kind.SINGLE_CHOICE, "options": ["Oui", "oui"]}, "unique"),
        ({"kind": Kind.MULTIPLE_CHOICE, "options": ["A", "B"], "max_choices": 3}, "entre 1 et 2"),
        ({"kind": Kind.MATRIX, "rows": [], "columns": ["A", "B"]}, "Lignes du tableau"),
        ({"kind": Kind.NUMBER, "min_value": "10", "max_value": "1"}, "minimale dépasse"),
        ({"kind": "couleur"}, "Type de question inconnu"),
    ],
)
def test_question_add_validates_its_options(built, staff, kwargs, message):
    _survey, q = built
    with pytest.raises(ApplicationError, match=message):
        services.question_add(actor=staff, section=q["mode"].section, label="Question", **kwargs)


def test_only_staff_build_surveys(component):
    with pytest.raises(NotAllowed):
        services.survey_create(actor=ParticipantFactory(), component=component, title="Non")
    assert not Survey.objects.exists()


def test_parse_lines():
    assert services.parse_lines("  Oui \n\n Non\r\nPeut-être ") == ["Oui", "Non", "Peut-être"]


# Concurrency


def test_one_response_per_account_under_concurrency(committed_db):
    """Two requests of one account at once: the survey row lock and the constraint keep one."""
    from accounts.models import User
    from participation.models import Space
    from tenants.models import Tenant
    from tests.conftest import TOWN_A
    from tests.participation.factories import AdminFactory

    town_a = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town_a):
        staff_user = AdminFactory()
        component = ComponentFactory(type_key="surveys")
        PhaseFactory(component=component, kind="answer")
        survey, q = build_survey(component, staff_user)
        user = ParticipantFactory()
        space_id = component.space_id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer():
        try:
            with tenant_context(town_a):
                barrier.wait(timeout=10)
                fresh_user = User.objects.get(pk=user.pk)
                fresh_survey = Survey.objects.select_related("component").get(pk=survey.pk)
                try:
                    services.survey_submit(
                        user=fresh_user, survey=fresh_survey, answers=minimal_answers(q)
                    )
                    outcomes.append("ok")
                except ApplicationError as exc:
                    outcomes.append(str(exc))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=answer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes) == ["Vous avez déjà répondu à ce questionnaire.", "ok"]
        with tenant_context(town_a):
            assert Response.objects.filter(survey=survey, user=user).count() == 1
    finally:
        with tenant_context(town_a):
            Space.objects.filter(pk=space_id).delete()
            User.objects.filter(pk__in=[user.pk, staff_user.pk]).delete()
