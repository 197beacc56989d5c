"""Creating polls, validating answers, one answer per account, results counted in SQL."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import ApplicationError, NotAllowed
from participation.polls import data, demo, exports, selectors, services, statistics
from participation.polls.models import Answer, AnswerChoice, Choice, Poll
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
    PhaseFactory,
)
from tests.participation.polls.conftest import CHOICES, choice_ids

ALREADY = "Vous avez déjà répondu à ce sondage."

# Creating


def test_staff_creates_a_poll_with_ordered_choices(make_poll):
    poll = make_poll(choices=["  Oui ", "Non", "Sans avis"])
    assert list(poll.choices.values_list("label", flat=True)) == ["Oui", "Non", "Sans avis"]
    assert poll.max_choices == 1


def test_multiple_choice_defaults_to_every_choice(make_poll):
    assert make_poll(kind=Poll.Kind.MULTIPLE).max_choices == len(CHOICES)
    assert make_poll(kind=Poll.Kind.MULTIPLE, max_choices=2).max_choices == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choices": ["Seul choix"]}, "entre 2 et 20 choix"),
        ({"choices": [f"Choix {n}" for n in range(21)]}, "entre 2 et 20 choix"),
        ({"choices": ["Oui", " "]}, "Choix n° 2 : ce champ est obligatoire"),
        ({"choices": ["Oui", "oui "]}, "« oui » figure deux fois"),
        ({"choices": ["Oui", "x" * 201]}, "201 caractères, 200 au plus"),
        ({"question": "   "}, "Question : ce champ est obligatoire"),
        ({"kind": "ranking"}, "Type de sondage inconnu"),
        ({"results_visibility": "never"}, "Visibilité des résultats inconnue"),
        ({"kind": "multiple", "max_choices": 4}, "entre 1 et 3"),
        ({"kind": "multiple", "max_choices": 0}, "entre 1 et 3"),
    ],
)
def test_poll_create_refuses(make_poll, overrides, message):
    with pytest.raises(ApplicationError, match=message):
        make_poll(**overrides)
    assert not Poll.objects.exists()


def test_a_citizen_cannot_create_a_poll(component, answer_phase):
    with pytest.raises(NotAllowed):
        services.poll_create(
            actor=ParticipantFactory(),
            component=component,
            question="Q ?",
            kind="single",
            choices=["A", "B"],
        )


def test_a_poll_only_goes_in_a_polls_component(in_town_a):
    news = ComponentFactory(type_key="news")
    with pytest.raises(ApplicationError, match="pas un module de sondages"):
        services.poll_create(
            actor=AdminFactory(), component=news, question="Q ?", kind="single", choices=["A", "B"]
        )


# Answering


def test_a_participant_answers_once(poll):
    citizen = ParticipantFactory()
    first = choice_ids(poll)[0]
    answer = services.poll_answer(user=citizen, poll=poll, choice_ids=[first])
    assert list(answer.choices.values_list("pk", flat=True)) == [first]
    with pytest.raises(ApplicationError, match=ALREADY):
        services.poll_answer(user=citizen, poll=poll, choice_ids=[choice_ids(poll)[1]])
    assert Answer.objects.filter(poll=poll).count() == 1


@pytest.mark.parametrize(
    ("kind", "max_choices", "pick", "message"),
    [
        ("single", None, [], "Choisissez au moins une réponse"),
        ("single", None, [0, 1], "n'accepte qu'un seul choix"),
        ("multiple", 2, [0, 1, 2], "2 choix au plus \\(3 cochés\\)"),
        ("single", None, ["foreign"], "Ce choix ne fait pas partie de la question"),
        ("multiple", 2, [0, "foreign"], "Ce choix ne fait pas partie de la question"),
        ("single", None, [987654321], "Ce choix ne fait pas partie de la question"),
    ],
)
def test_answer_validation(make_poll, kind, max_choices, pick, message):
    poll = make_poll(kind=kind, max_choices=max_choices)
    other = make_poll(question="Une autre question ?")
    own, foreign = choice_ids(poll), choice_ids(other)[0]
    ids = [foreign if item == "foreign" else own[item] if item < 10 else item for item in pick]
    with pytest.raises(ApplicationError, match=message):
        services.poll_answer(user=ParticipantFactory(), poll=poll, choice_ids=ids)
    assert not Answer.objects.exists()


def test_multiple_choice_within_the_limit(make_poll):
    poll = make_poll(kind=Poll.Kind.MULTIPLE, max_choices=2)
    ids = choice_ids(poll)[:2]
    answer = services.poll_answer(user=ParticipantFactory(), poll=poll, choice_ids=ids + ids[:1])
    assert sorted(answer.choices.values_list("pk", flat=True)) == sorted(ids)


def test_the_database_keeps_one_answer_per_account(poll):
    citizen = ParticipantFactory()
    Answer.objects.create(poll=poll, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(poll=poll, user=citizen)


def test_a_constraint_violation_reads_as_already_answered(poll, monkeypatch):
    """If the locked check ever missed the existing answer, the constraint still refuses."""
    citizen = ParticipantFactory()
    services.poll_answer(user=citizen, poll=poll, choice_ids=choice_ids(poll)[:1])
    monkeypatch.setattr(services, "_has_answered", lambda poll, user: False)
    with pytest.raises(ApplicationError, match=ALREADY):
        services.poll_answer(user=citizen, poll=poll, choice_ids=choice_ids(poll)[1:2])
    assert Answer.objects.filter(poll=poll).count() == 1


def test_concurrent_answers_of_one_account_store_one(django_db_setup, committed_db):
    from tenants.models import Tenant
    from tests.conftest import TOWN_A

    town_a = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town_a):
        admin, citizen = AdminFactory(), ParticipantFactory()
        component = ComponentFactory(type_key="polls")
        PhaseFactory(component=component, kind="answer")
        poll = services.poll_create(
            actor=admin, component=component, question="Q ?", kind="single", choices=CHOICES
        )
        ids = choice_ids(poll)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(choice_id: int) -> None:
        try:
            with tenant_context(town_a):
                user = User.objects.select_related("profile").get(pk=citizen.pk)
                own_poll = Poll.objects.get(pk=poll.pk)
                barrier.wait(timeout=10)
                services.poll_answer(user=user, poll=own_poll, choice_ids=[choice_id])
            outcomes.append("enregistrée")
        except ApplicationError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=answer, args=(ids[n],)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes) == sorted(["enregistrée", ALREADY])
        with tenant_context(town_a):
            assert Answer.objects.filter(poll_id=poll.pk).count() == 1
            assert AnswerChoice.objects.filter(answer__poll_id=poll.pk).count() == 1
    finally:
        with tenant_context(town_a):
            component.space.delete()
            User.objects.filter(pk__in=[admin.pk, citizen.pk]).delete()


# Results, exports, dashboard, GDPR, demo


def _answer(poll, *picks):
    for pick in picks:
        services.poll_answer(
            user=ParticipantFactory(), poll=poll, choice_ids=[choice_ids(poll)[n] for n in pick]
        )


def test_results_in_one_query(make_poll):
    poll = make_poll(kind=Poll.Kind.MULTIPLE)
    _answer(poll, [0], [0, 1], [0])
    with CaptureQueriesContext(connection) as queries:
        results = selectors.results(poll)
    selects = [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]
    assert len(selects) == 1, selects
    assert results.respondents == 3
    rows = [(row.label, row.count, row.percent) for row in results.choices]
    assert rows == [("Des arbres", 3, 100), ("Des bancs", 1, 33), ("Une aire de jeux", 0, 0)]


def test_results_of_an_unanswered_poll(poll):
    results = selectors.results(poll)
    assert results.respondents == 0
    assert [row.percent for row in results.choices] == [0, 0, 0]


def test_answers_of_a_deleted_account_still_count(poll):
    citizen = ParticipantFactory()
    services.poll_answer(user=citizen, poll=poll, choice_ids=choice_ids(poll)[:1])
    citizen.delete()
    assert selectors.results(poll).respondents == 1
    assert Answer.objects.get(poll=poll).user is None


def test_csv_export(component, make_poll):
    poll = make_poll(choices=["=HYPERLINK(1)", "Non"])
    _answer(poll, [0], [0], [1])
    filename, content_type, content = exports.polls_results_csv(component)
    assert filename.endswith(".csv")
    assert content_type.startswith("text/csv")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "sondage;question;choix;voix;participants;pourcentage"
    assert lines[1] == f"{poll.pk};Que voulez-vous sur la place ?;'=HYPERLINK(1);2;3;67"
    assert lines[2] == f"{poll.pk};Que voulez-vous sur la place ?;Non;1;3;33"


def test_statistics_contributions_and_personal_data(component, poll):
    citizen = ParticipantFactory()
    services.poll_answer(user=citizen, poll=poll, choice_ids=choice_ids(poll)[1:2])
    _answer(poll, [0])
    assert statistics.polls_statistics(component) == {
        "polls": 1,
        "answers": 2,
        "participants": 2,
    }
    rows = list(data.polls_contributions().filter(author_id=citizen.pk))
    assert rows == [
        {
            "component_id": component.pk,
            "author_id": citizen.pk,
            "created_at": Answer.objects.get(user=citizen).created_at,
        }
    ]
    # The dashboard reads the columns by name from the compiled SQL.
    sql, params = data.polls_contributions().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT component_id, author_id FROM ({sql}) AS c", params)
        assert sorted(cursor.fetchall(), key=str)[0][0] == component.pk
    personal = data.polls_personal_data(citizen)
    assert personal == [
        {
            "component_id": component.pk,
            "poll_id": poll.pk,
            "question": poll.question,
            "choices": ["Des bancs"],
            "answered_at": Answer.objects.get(user=citizen).created_at.isoformat(),
        }
    ]


def test_component_type_is_registered():
    from participation.registry import registry

    polls = registry.get("polls")
    assert [kind.key for kind in polls.phase_kinds] == ["answer", "results"]
    assert polls.phase_kind("answer").features == {"answer", "comment"}
    assert polls.phase_kind("results").features == {"comment"}
    assert set(polls.exports) == {"csv"}


def test_seed_demo_creates_a_poll_with_choices(component):
    demo.polls_seed(component)
    poll = Poll.objects.get(component=component)
    assert Choice.objects.filter(poll=poll).count() == 4
    assert not Answer.objects.exists()
