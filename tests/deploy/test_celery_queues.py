"""Celery: one queue per kind of work (CELERY_TASK_ROUTES), and beat single across nodes
(tenants.beat), on the real Redis broker: messages are read back from the queues' lists."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from celery import Celery
from django.conf import settings

from config.settings.celery import queue_names, task_routes


def _messages(client: redis.Redis, queue: str) -> list[dict]:
    return [json.loads(raw) for raw in client.lrange(queue, 0, -1)]


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    prefix = f"agora-test-{uuid.uuid4().hex[:8]}-"
    yield client, prefix
    for queue in queue_names(prefix):
        client.delete(queue)


def test_each_kind_of_task_goes_to_its_own_queue(broker):
    client, prefix = broker
    # An app of its own with the project's routes under a prefix of its own: the session's
    # test worker (tests/conftest.py) does not consume these queues. Not the current app: the
    # project's tasks sent after this test would otherwise go through this one's routes.
    app = Celery("routes", broker=settings.CELERY_BROKER_URL, set_as_current=False)
    app.conf.update(task_routes=task_routes(prefix), task_default_queue=f"{prefix}default")
    expected = {
        "accounts.send_email": "emails",
        "notifications.weekly_digest_send": "emails",
        "network.digest_send": "emails",
        "onboarding.town_export": "exports",
        "budgets.tally_compute": "tallies",
        "onboarding.town_onboard": "onboarding",
        "tenants.spare_schemas_refill": "onboarding",
        "tenants.custom_domains_check": "default",
        "tenants.dispatch_to_towns": "default",
    }
    for name in expected:
        app.send_task(name)
    found = {
        message["headers"]["task"]: queue.removeprefix(prefix)
        for queue in queue_names(prefix)
        for message in _messages(client, queue)
    }
    assert found == expected


BEAT_SETTINGS = """
from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_QUEUE_PREFIX = "{prefix}"
CELERY_TASK_DEFAULT_QUEUE = "{prefix}default"
CELERY_TASK_ROUTES = task_routes("{prefix}")  # noqa: F405
CELERY_BEAT_SCHEDULE = {{"probe": {{"task": "agora.beat_probe", "schedule": 1.0}}}}
BEAT_LOCK_KEY = "{prefix}beat-lock"
BEAT_LOCK_SECONDS = 6
"""


def _beat(tmp_path, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "beat_probe_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
         "--schedule", str(tmp_path / f"{name}-schedule"), "--pidfile", ""],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=(tmp_path / f"{name}.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _senders(client: redis.Redis, queue: str) -> list[int]:
    """The pid of the beat that sent each probe (Celery's `origin` header: gen<pid>@host), the
    oldest first (kombu pushes on the list's head)."""
    return [
        int(message["headers"]["origin"].split("@")[0].removeprefix("gen"))
        for message in reversed(_messages(client, queue))
    ]


def _wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def test_two_beats_running_only_one_sends_and_the_other_takes_over(broker, tmp_path):
    client, prefix = broker
    (tmp_path / "beat_probe_settings.py").write_text(BEAT_SETTINGS.format(prefix=prefix))
    queue = f"{prefix}default"
    beats = [_beat(tmp_path, "beat-1"), _beat(tmp_path, "beat-2")]
    try:
        _wait_for(lambda: len(_senders(client, queue)) >= 6, 90, "aucun envoi de beat")
        time.sleep(3)
        senders = set(_senders(client, queue))
        assert len(senders) == 1, f"deux beats ont envoyé : {senders}"
        (holder,) = senders
        assert holder in {beat.pid for beat in beats}
        # The holder stops: the other one takes the lock and sends from then on.
        stopped = next(beat for beat in beats if beat.pid == holder)
        sent_before = len(_senders(client, queue))
        stopped.terminate()
        stopped.wait(timeout=30)
        _wait_for(
            lambda: len(set(_senders(client, queue))) == 2,
            60,
            "l'autre beat n'a pas pris le relais",
        )
        assert all(pid == holder for pid in _senders(client, queue)[:sent_before])
    finally:
        for beat in beats:
            if beat.poll() is None:
                beat.terminate()
                beat.wait(timeout=30)
