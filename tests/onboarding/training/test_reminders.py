"""Reminders 7 days and 1 day before a session, each sent once, by the daily Celery task."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings

from config.celery import app
from onboarding.training.models import TrainingSession
from onboarding.training.services import reminders_send
from onboarding.training.tasks import reminders_send as reminders_task
from tests.onboarding.training.factories import TrainingInviteeFactory, TrainingSessionFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SESSION_AT = datetime.datetime(2031, 6, 20, 14, 0, tzinfo=PARIS)


def days_before(days: int, hour: int = 9) -> datetime.datetime:
    day = SESSION_AT.date() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


def run_at(moment: datetime.datetime, mailoutbox, capture) -> list[str]:
    """The daily run at ``moment``: the subjects of the e-mails it sent."""
    sent_before = len(mailoutbox)
    with time_machine.travel(moment, tick=False), capture(execute=True):
        reminders_send()
    return [mail.subject for mail in mailoutbox[sent_before:]]


@pytest.fixture
def session(town_a):
    with time_machine.travel(days_before(30), tick=False):
        return TrainingSessionFactory(town=town_a, starts_at=SESSION_AT)


def invited(session, days: int, hour: int = 9, **fields):
    with time_machine.travel(days_before(days, hour), tick=False):
        return TrainingInviteeFactory(session=session, **fields)


def test_each_reminder_is_sent_once_seven_days_then_one_day_before(
    session, mailoutbox, django_capture_on_commit_callbacks
):
    invitee = invited(session, 20)

    def run(days, hour=9):
        return run_at(days_before(days, hour), mailoutbox, django_capture_on_commit_callbacks)

    assert run(8) == []
    assert run(7) == ["Rappel : formation Agora dans 7 jours, le 20 juin 2031 à 14:00"]
    assert run(7, hour=15) == []
    assert run(6) == []
    assert run(2) == []
    assert run(1) == ["Rappel : formation Agora demain, 20 juin 2031 à 14:00"]
    assert run(1, hour=15) == []
    assert run(0) == []
    assert all(mail.to == [invitee.email] for mail in mailoutbox)
    assert "a lieu demain" in mailoutbox[-1].body
    invitee.refresh_from_db()
    assert invitee.reminded_7d_at == days_before(7)
    assert invitee.reminded_1d_at == days_before(1)


def test_a_missed_run_is_caught_up_until_the_next_reminder(
    session, mailoutbox, django_capture_on_commit_callbacks
):
    early, late = invited(session, 20), invited(session, 20)
    # The workers were down from 7 to 4 days before: the 7-day reminder goes out 3 days before.
    assert (
        run_at(days_before(3), mailoutbox, django_capture_on_commit_callbacks)
        == ["Rappel : formation Agora dans 3 jours, le 20 juin 2031 à 14:00"] * 2
    )
    # Down again until the last day: only the 1-day reminder is still worth sending.
    other = invited(session, 20)
    subjects = run_at(days_before(1), mailoutbox, django_capture_on_commit_callbacks)
    assert subjects == ["Rappel : formation Agora demain, 20 juin 2031 à 14:00"] * 3
    other.refresh_from_db()
    assert other.reminded_7d_at is None
    assert {mail.to[0] for mail in mailoutbox} == {early.email, late.email, other.email}


def test_people_invited_late_are_not_reminded_of_what_they_just_read(
    session, mailoutbox, django_capture_on_commit_callbacks
):
    invited(session, 3)
    invited(session, 1, hour=10)  # after the day's run

    assert run_at(days_before(2), mailoutbox, django_capture_on_commit_callbacks) == []
    subjects = run_at(days_before(1), mailoutbox, django_capture_on_commit_callbacks)
    assert subjects == ["Rappel : formation Agora demain, 20 juin 2031 à 14:00"]
    assert run_at(days_before(0), mailoutbox, django_capture_on_commit_callbacks) == []


@pytest.mark.parametrize("status", [TrainingSession.Status.CANCELLED, TrainingSession.Status.DONE])
def test_no_reminder_for_a_session_that_will_not_take_place(
    session, status, mailoutbox, django_capture_on_commit_callbacks
):
    invited(session, 20)
    TrainingSession.objects.filter(pk=session.pk).update(status=status)

    assert run_at(days_before(7), mailoutbox, django_capture_on_commit_callbacks) == []
    assert run_at(days_before(1), mailoutbox, django_capture_on_commit_callbacks) == []


def test_the_daily_beat_runs_the_task_in_the_public_schema(
    session, mailoutbox, django_capture_on_commit_callbacks
):
    invited(session, 20)
    entry = settings.CELERY_BEAT_SCHEDULE["training-reminders-daily"]
    assert entry["task"] == reminders_task.name
    assert "args" not in entry  # not fanned out to the towns' schemas

    with (
        time_machine.travel(days_before(7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = app.tasks[entry["task"]].delay()

    assert result.result == 1
    assert len(mailoutbox) == 1
