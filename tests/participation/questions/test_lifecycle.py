"""A question's whole life with time frozen: asked, routed, recalled to its holders once
overdue (Celery task, at most every three days), answered; the asker told of each step."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from participation.questions import services, tasks
from participation.questions.models import Question

Status = Question.Status
START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def day(n: int, hours: int = 0) -> datetime.datetime:
    return START + datetime.timedelta(days=n, hours=hours)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_question_from_asked_to_answered_with_reminders(
    frozen,
    component,
    citizen,
    staff,
    official,
    official_account,
    service_member,
    django_capture_on_commit_callbacks,
):
    # Day 0: asked. The asker is told it is received; the town's staff that it waits.
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(
            author=citizen,
            component=component,
            title="L'éclairage de la rue Trivalle",
            body="La moitié des lampadaires sont éteints.",
            addressed_to=official,
        )
    assert question.status == Status.RECEIVED
    assert question.created_at == START
    assert citizen.email in recipients() and staff.email in recipients()
    assert "bien reçue" in next(m for m in mail.outbox if citizen.email in m.to).subject
    mail.outbox.clear()

    # Day 2: routed to the official: their account and their service's member are told.
    frozen.move_to(day(2))
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_route(actor=staff, question=question, official=official)
    assert question.status == Status.ROUTED and question.routed_at == day(2)
    assert recipients() == sorted([citizen.email, official_account.email, service_member.email])
    mail.outbox.clear()

    # Day 10: within the 15 days, no reminder.
    frozen.move_to(day(10))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_overdue.delay().get() == 0
    assert mail.outbox == []

    # Day 16: overdue. The holders are recalled (not the asker, not the staff).
    frozen.move_to(day(16))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_overdue.delay().get() == 2
    assert recipients() == sorted([official_account.email, service_member.email])
    assert all("en retard" in message.subject for message in mail.outbox)
    assert "15 jours" in mail.outbox[0].body
    question.refresh_from_db()
    assert question.reminded_at == day(16)
    mail.outbox.clear()

    # Day 17 and 18: already recalled less than three days ago.
    for n in (17, 18):
        frozen.move_to(day(n, hours=23))
        with django_capture_on_commit_callbacks(execute=True):
            assert services.questions_remind_overdue() == 0
    assert mail.outbox == []

    # Day 19: recalled again.
    frozen.move_to(day(19))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.questions_remind_overdue() == 2

    # Day 20: the official answers with their own account, in their own name.
    mail.outbox.clear()
    frozen.move_to(day(20))
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_answer(
            actor=official_account,
            question=question,
            answer="Les lampadaires seront réparés lundi.",
        )
    assert question.status == Status.ANSWERED
    assert question.answered_at == day(20)
    assert question.answered_as == "Henri Marty, Adjoint aux travaux"
    assert recipients() == [citizen.email]
    assert "Les lampadaires seront réparés lundi." in mail.outbox[0].body

    # Day 30: answered questions are never recalled.
    frozen.move_to(day(30))
    assert services.questions_remind_overdue() == 0

    steps = list(question.events.values_list("status", "at"))
    assert steps == [
        (Status.RECEIVED, START),
        (Status.ROUTED, day(2)),
        (Status.ANSWERED, day(20)),
    ]


def test_a_received_question_left_unrouted_is_recalled_to_the_staff(
    frozen, component, question, staff, citizen, django_capture_on_commit_callbacks
):
    frozen.move_to(day(15, hours=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.questions_remind_overdue() >= 1
    assert staff.email in recipients() and citizen.email not in recipients()


def test_the_target_is_the_component_setting(
    frozen, component, question, staff, django_capture_on_commit_callbacks
):
    component = services.settings_update(actor=staff, component=component, answer_target_days=30)
    frozen.move_to(day(20))
    assert services.questions_remind_overdue() == 0
    frozen.move_to(day(31))
    assert services.questions_remind_overdue() >= 1


def test_a_declined_question_tells_its_public_reason_and_is_never_recalled(
    frozen, component, question, staff, citizen, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        declined = services.question_decline(
            actor=staff,
            question=question,
            reason=Question.DeclineReason.OUT_OF_SCOPE,
            note="L'éclairage de cette rue relève du département.",
        )
    assert declined.status == Status.DECLINED and declined.declined_at == START
    assert recipients() == [citizen.email]
    assert "n'est pas retenue" in mail.outbox[0].subject
    assert "L'éclairage de cette rue relève du département." in mail.outbox[0].body
    frozen.move_to(day(40))
    assert services.questions_remind_overdue() == 0


def test_the_beat_runs_the_reminders_every_morning_in_each_town():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["questions-overdue-reminders"]
    assert entry["task"] == "tenants.dispatch_to_towns"
    assert entry["args"] == ("questions.remind_overdue",)
    assert "questions.remind_overdue" in app.tasks
    assert entry["schedule"].hour == {9}


def test_the_asked_time_is_the_server_time(frozen, question):
    assert question.created_at == timezone.now() == START
