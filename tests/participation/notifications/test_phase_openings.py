import datetime
import threading
import time

from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from config.celery import app
from participation.models import Phase, SpaceFollow
from participation.notifications.services import phase_openings_notify
from participation.notifications.tasks import phase_openings_notify as phase_openings_task
from tests.factories import UserFactory
from tests.participation.factories import ParticipantFactory, PhaseFactory, SpaceFactory

from .conftest import html_part, sent_to


def test_followers_are_emailed_once(opening, django_capture_on_commit_callbacks):
    space, phase, follower = opening
    bystander = ParticipantFactory(email="ne-suit-pas@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert phase_openings_task() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert phase_openings_task() == 0

    messages = sent_to(follower.email)
    assert len(messages) == 1
    assert len(mail.outbox) == 1
    assert not sent_to(bystander.email)
    message = messages[0]
    assert "Ville A" in message.subject
    assert "Actualités du chantier" in message.body
    assert space.title in message.body
    assert "Gérer mes notifications" in message.body
    assert f"/espaces/{space.slug}/" in message.body
    phase.refresh_from_db()
    assert phase.opening_notified_at is not None


def test_followers_who_switched_it_off_or_are_unverified_get_nothing(
    opening, django_capture_on_commit_callbacks
):
    space, _phase, follower = opening
    switched_off = ParticipantFactory(email="sans-phases@exemple.fr", profile__notify_phases=False)
    unverified = UserFactory(email="non-verifie@exemple.fr", email_verified_at=None)
    inactive = ParticipantFactory(email="desactive@exemple.fr", is_active=False)
    for user in (switched_off, unverified, inactive):
        SpaceFollow.objects.create(user=user, space=space)
    with django_capture_on_commit_callbacks(execute=True):
        assert phase_openings_notify() == 1
    assert [message.to for message in mail.outbox] == [[follower.email]]


def test_phases_not_yet_open_wait_and_stale_ones_are_marked_without_email(
    opening, django_capture_on_commit_callbacks
):
    space, phase, follower = opening
    phase.opening_notified_at = timezone.now()  # already announced
    phase.save()
    now = timezone.now()
    stale = PhaseFactory(
        component__space=space,
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3),
    )
    future = PhaseFactory(
        component__space=space,
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert phase_openings_notify() == 0
    assert mail.outbox == []
    stale.refresh_from_db()
    future.refresh_from_db()
    assert stale.opening_notified_at is not None
    assert future.opening_notified_at is None

    # The next run after it opens announces the future phase.
    with django_capture_on_commit_callbacks(execute=True):
        assert phase_openings_notify(now=now + datetime.timedelta(days=1, minutes=1)) == 1
    assert len(sent_to(follower.email)) == 1


def test_phases_of_draft_spaces_are_not_announced(in_town_a, django_capture_on_commit_callbacks):
    space = SpaceFactory(status="draft")
    phase = PhaseFactory(component__space=space)
    SpaceFollow.objects.create(user=ParticipantFactory(), space=space)
    with django_capture_on_commit_callbacks(execute=True):
        assert phase_openings_notify() == 0
    phase.refresh_from_db()
    assert phase.opening_notified_at is None
    assert mail.outbox == []


def test_email_carries_the_towns_name_and_colours(opening, django_capture_on_commit_callbacks):
    from theming.selectors import site_theme_forget
    from theming.services import theme_update

    _space, _phase, follower = opening
    try:
        theme_update(primary_colour="#0a7d5c", accent_colour="#c2410c")
        with django_capture_on_commit_callbacks(execute=True):
            phase_openings_notify()
    finally:
        site_theme_forget()  # the theme row is rolled back: so must its caches be
    (message,) = sent_to(follower.email)
    html = html_part(message)
    assert "Ville A" in html
    assert "#0a7d5c" in html
    assert "#c2410c" in html
    assert "Gérer mes notifications" in html
    assert "/mon-profil/notifications/desabonnement/" in html
    assert "/mon-profil/notifications/desabonnement/" in message.body
    assert "Ville A" in message.body


def test_two_workers_at_once_send_each_email_once(committed_db):
    from tenants.models import Tenant
    from tests.conftest import TOWN_A

    town_a = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town_a):
        space = SpaceFactory()
        phases = [
            PhaseFactory(
                component__space=space,
                starts_at=timezone.now() - datetime.timedelta(minutes=5 + i),
                ends_at=timezone.now() + datetime.timedelta(days=1),
            )
            for i in range(2)
        ]
        followers = [ParticipantFactory(email=f"concurrence{i}@exemple.fr") for i in range(3)]
        for follower in followers:
            SpaceFollow.objects.create(user=follower, space=space)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with tenant_context(town_a):
                barrier.wait(timeout=10)
                results.append(phase_openings_notify())
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert sorted(results) in ([0, 6], [2, 4], [3, 3], [1, 5])
        assert sum(results) == 6  # 2 phases × 3 followers, each exactly once
        for follower in followers:
            assert len(sent_to(follower.email)) == 2
        with tenant_context(town_a):
            assert not Phase.objects.filter(
                pk__in=[p.pk for p in phases], opening_notified_at__isnull=True
            ).exists()
    finally:
        with tenant_context(town_a):
            space.delete()
            for follower in followers:
                follower.delete()


def test_beat_schedule_dispatches_registered_tasks():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover the tasks
    schedule = settings.CELERY_BEAT_SCHEDULE
    dispatched = {
        entry["args"][0]
        for entry in schedule.values()
        if entry["task"] == "tenants.dispatch_to_towns"
    }
    assert {"notifications.phase_openings_notify", "notifications.weekly_digest_send"} <= (
        dispatched
    )
    for name in dispatched | {entry["task"] for entry in schedule.values()}:
        assert name in app.tasks, name
    openings = schedule["notifications-phase-openings"]["schedule"]
    assert openings.minute == {0, 15, 30, 45}
    digest = schedule["notifications-weekly-digest"]["schedule"]
    assert digest.day_of_week == {1} and digest.hour == {8} and digest.minute == {0}


def test_dispatcher_runs_it_in_each_town_on_a_real_worker(celery_worker_process, committed_db):
    from tenants.models import Tenant
    from tenants.tasks import dispatch_to_towns
    from tests.conftest import TOWN_A, TOWN_B

    towns = [Tenant.objects.get(slug=slug) for slug in (TOWN_A, TOWN_B)]
    created = {}
    for town in towns:
        with tenant_context(town):
            space = SpaceFactory()
            phase = PhaseFactory(component__space=space)
            follower = ParticipantFactory()
            SpaceFollow.objects.create(user=follower, space=space)
            created[town.pk] = (space, phase, follower)
    app.conf.task_always_eager = False
    try:
        dispatch_to_towns.delay("notifications.phase_openings_notify")
        deadline = time.monotonic() + 30
        pending = set(created)
        while pending and time.monotonic() < deadline:
            for town in towns:
                with tenant_context(town):
                    phase = created[town.pk][1]
                    if Phase.objects.filter(
                        pk=phase.pk, opening_notified_at__isnull=False
                    ).exists():
                        pending.discard(town.pk)
            time.sleep(0.2)
        assert pending == set(), "the phase was not announced in every town"
    finally:
        app.conf.task_always_eager = True
        for town in towns:
            with tenant_context(town):
                space, _phase, follower = created[town.pk]
                space.delete()
                follower.delete()
