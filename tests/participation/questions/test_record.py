"""The town's published answer-time record: median time to answer and share answered within
the target, computed in SQL and shown on the public page."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from participation.questions import selectors, services
from participation.questions.models import Question
from tests.participation.conftest import logged_in

START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def at(days: float):
    return time_machine.travel(START + datetime.timedelta(days=days), tick=False)


@pytest.fixture
def history(component, ask, citizen, staff, official):
    """Asked on day 0 (three answered after 2, 10 and 20 days, one declined), day 1 (still
    open on day 30: overdue) and day 29 (open, not yet due)."""
    made = {}
    with at(0):
        for name in ("fast", "slow", "late", "declined"):
            made[name] = ask(citizen, title=f"Question {name}")
    with at(1):
        made["overdue"] = ask(citizen, title="Question overdue")
    with at(29):
        made["fresh"] = ask(citizen, title="Question fresh")
    for name, days in (("fast", 2), ("slow", 10), ("late", 20)):
        with at(days):
            routed = services.question_route(actor=staff, question=made[name], official=official)
            services.question_answer(actor=staff, question=routed, answer="Réponse.")
    with at(3):
        services.question_decline(
            actor=staff, question=made["declined"], reason=Question.DeclineReason.INSULTING
        )
    return made


def test_the_figures(history, component):
    record = selectors.answer_record(component, now=START + datetime.timedelta(days=30))
    assert record.target_days == 15
    assert (record.asked, record.answered, record.declined, record.open) == (6, 3, 1, 2)
    assert record.overdue == 1
    assert record.median_days == 10.0
    # Due: the three answered and the overdue one; in time: the answers after 2 and 10 days.
    assert (record.due, record.answered_in_time, record.in_time_percent) == (4, 2, 50)


def test_a_longer_target_changes_the_share(history, component, staff):
    component = services.settings_update(actor=staff, component=component, answer_target_days=21)
    record = selectors.answer_record(component, now=START + datetime.timedelta(days=30))
    assert (record.due, record.answered_in_time, record.in_time_percent) == (4, 3, 75)


def test_no_question_yet_says_no_figure(component):
    record = selectors.answer_record(component)
    assert record.median_days is None and record.in_time_percent is None


def test_the_public_page_shows_the_record(history, component, town_a):
    with at(30):
        page = logged_in(town_a).get(f"/espaces/{component.space.slug}/questions/{component.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="record-median">10 jours' in html
    assert 'id="record-in-time">50&nbsp;%' in html
    # The insulting question is listed as withdrawn, without its words.
    assert "Question retirée" in html and "Question declined" not in html


def test_the_towns_median_time_to_answer_reaches_the_usage_snapshot(ask, citizen):
    """Over every questions component of the town, the answers of the last year: the figure
    the network compares (registry's town_figures hook, through the usage snapshot)."""
    from participation.usage.services import usage_snapshot_take

    assert usage_snapshot_take().module_figures == {"answer_days": None}
    now = timezone.now()
    for days, answered_ago in ((4, 1), (10, 2), (30, 3), (2, 400)):
        question = ask(citizen, title=f"Question à {days} jours")
        Question.objects.filter(pk=question.pk).update(
            status=Question.Status.ANSWERED,
            answer="C'est fait.",
            created_at=now - datetime.timedelta(days=answered_ago + days),
            answered_at=now - datetime.timedelta(days=answered_ago),
        )
    ask(citizen, title="Pas encore de réponse")
    # 4, 10 and 30 days this year (the one answered 400 days ago is left out): median 10.
    assert usage_snapshot_take().module_figures == {"answer_days": 10.0}
