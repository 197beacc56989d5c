"""Counting trained staff, whether training is done, and the sessions a town's pages read."""

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from onboarding.training.models import TrainingSession
from onboarding.training.selectors import (
    past_sessions,
    sessions_for,
    town_training,
    trained_staff_count,
    training_done,
    upcoming_sessions,
)
from tests.factories import UserFactory
from tests.onboarding.training.factories import TrainingInviteeFactory, TrainingSessionFactory

DAY = datetime.timedelta(days=1)
DONE = TrainingSession.Status.DONE


def done_session(town, **fields):
    return TrainingSessionFactory(
        town=town, starts_at=timezone.now() - 5 * DAY, status=DONE, **fields
    )


def test_trained_staff_are_distinct_people_present_at_a_session_of_the_town(town_a, town_b):
    first, second = done_session(town_a), done_session(town_a)
    TrainingInviteeFactory(session=first, email="lea@ville-a.fr", attended=True)
    TrainingInviteeFactory(session=second, email="LEA@ville-a.fr", attended=True)  # same person
    TrainingInviteeFactory(session=second, email="marc@ville-a.fr", attended=True)
    TrainingInviteeFactory(session=second, email="absent@ville-a.fr", attended=False)
    TrainingInviteeFactory(session=done_session(town_b), email="zoe@ville-b.fr", attended=True)
    # Only sessions that took place count.
    planned = TrainingSessionFactory(town=town_a)
    TrainingInviteeFactory(session=planned, email="pas-encore@ville-a.fr", attended=True)

    assert trained_staff_count(town_a) == 2
    assert trained_staff_count(town_b) == 1


def test_training_is_done_once_a_session_took_place_with_someone_present(town_a):
    assert training_done(town_a) is False
    session = done_session(town_a)
    invitee = TrainingInviteeFactory(session=session, attended=False)
    assert training_done(town_a) is False  # nobody came

    invitee.attended = True
    invitee.save()
    assert training_done(town_a) is True


def test_upcoming_from_today_and_past_before(town_a, town_b):
    now = timezone.now()
    later = TrainingSessionFactory(town=town_a, starts_at=now + 3 * DAY)
    soon = TrainingSessionFactory(town=town_a, starts_at=now + DAY)
    cancelled = TrainingSessionFactory(
        town=town_a, starts_at=now + 2 * DAY, status=TrainingSession.Status.CANCELLED
    )
    old, older = (
        done_session(town_a),
        TrainingSessionFactory(town=town_a, starts_at=now - 30 * DAY, status=DONE),
    )
    elsewhere = TrainingSessionFactory(town=town_b)

    assert list(upcoming_sessions(town=town_a)) == [soon, cancelled, later]
    assert list(past_sessions(town=town_a)) == [old, older]
    assert elsewhere in upcoming_sessions()


def test_a_town_page_reads_the_trainer_from_the_public_schema(town_a):
    """In a town's schema the accounts table is the town's own: the sessions are read in the
    public schema, whatever the page's schema."""
    session = TrainingSessionFactory(town=town_a)
    trainer = session.trainer
    with tenant_context(town_a):
        UserFactory(id=trainer.pk, email="homonyme@ville-a.fr")  # a resident with the same id
        [read] = sessions_for(town_a)
        overview = town_training(town_a)

    assert read.trainer.email == trainer.email
    assert [s.trainer.email for s in overview.upcoming] == [trainer.email]
