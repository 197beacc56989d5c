"""The permission matrix: who may answer a poll when, and who sees its results."""

import re

import pytest

from core.errors import NotAllowed
from participation.polls import services
from participation.polls.models import Answer, Poll
from tests.participation.conftest import MOMENTS, ROLES, make_user, moment_offset
from tests.participation.factories import ParticipantFactory
from tests.participation.polls.conftest import choice_ids

CONTRIBUTORS = ("citizen", "moderator", "admin")


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_answer_and_when(poll, answer_phase, time_machine, role, moment):
    user = make_user(role)
    time_machine.move_to(moment_offset(moment, answer_phase), tick=False)
    allowed = role in CONTRIBUTORS and moment == "during"

    assert user.has_perm("polls.answer_poll", poll) is allowed
    if allowed:
        services.poll_answer(user=user, poll=poll, choice_ids=choice_ids(poll)[:1])
        assert Answer.objects.filter(poll=poll, user=user).count() == 1
    else:
        with pytest.raises(NotAllowed):
            services.poll_answer(user=user, poll=poll, choice_ids=choice_ids(poll)[:1])
        assert not Answer.objects.filter(poll=poll).exists()


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        ("anonymous", "Connectez-vous ou créez un compte pour participer."),
        ("unverified", "Confirmez d'abord votre adresse e-mail (lien reçu à l'inscription)."),
    ],
)
def test_refusal_names_the_missing_step(poll, role, reason):
    with pytest.raises(NotAllowed, match=re.escape(reason)):
        services.poll_answer(user=make_user(role), poll=poll, choice_ids=choice_ids(poll)[:1])


@pytest.mark.parametrize("moment", ["before", "after"])
def test_outside_the_answer_phase_the_poll_is_closed(poll, answer_phase, time_machine, moment):
    citizen = make_user("citizen")
    time_machine.move_to(moment_offset(moment, answer_phase), tick=False)
    with pytest.raises(NotAllowed, match="Ce sondage n'est pas ouvert aux réponses"):
        services.poll_answer(user=citizen, poll=poll, choice_ids=choice_ids(poll)[:1])


def test_a_draft_space_cannot_be_answered(poll, component):
    component.space.status = component.space.Status.DRAFT
    component.space.save()
    assert not make_user("citizen").has_perm("polls.answer_poll", poll)


def test_only_staff_may_change_polls(component):
    for role in ROLES:
        expected = role in ("moderator", "admin")
        assert make_user(role).has_perm("polls.change_poll", component) is expected


def test_a_space_moderator_may_change_polls(component):
    citizen = make_user("citizen")
    component.space.moderators.add(citizen)
    assert citizen.has_perm("polls.change_poll", component)


# Results


def test_after_answer_results_are_for_those_who_answered(poll, answer_phase, time_machine):
    respondent, other, moderator = (
        ParticipantFactory(),
        ParticipantFactory(),
        make_user("moderator"),
    )
    anonymous = make_user("anonymous")
    assert not respondent.has_perm("polls.view_results_poll", poll)
    services.poll_answer(user=respondent, poll=poll, choice_ids=choice_ids(poll)[:1])

    assert respondent.has_perm("polls.view_results_poll", poll)
    assert not other.has_perm("polls.view_results_poll", poll)
    assert not anonymous.has_perm("polls.view_results_poll", poll)
    assert moderator.has_perm("polls.view_results_poll", poll)
    # Only answering shows them, even once the answer phase is over.
    time_machine.move_to(moment_offset("after", answer_phase), tick=False)
    assert not other.has_perm("polls.view_results_poll", poll)
    assert respondent.has_perm("polls.view_results_poll", poll)


def test_after_close_results_are_for_everyone_once_answers_closed(
    make_poll, answer_phase, time_machine
):
    poll = make_poll(results_visibility=Poll.ResultsVisibility.AFTER_CLOSE)
    respondent, moderator = ParticipantFactory(), make_user("moderator")
    services.poll_answer(user=respondent, poll=poll, choice_ids=choice_ids(poll)[:1])
    anonymous, admin = make_user("anonymous"), make_user("admin")

    assert not respondent.has_perm("polls.view_results_poll", poll)
    assert not anonymous.has_perm("polls.view_results_poll", poll)
    assert moderator.has_perm("polls.view_results_poll", poll)
    assert admin.has_perm("polls.view_results_poll", poll)

    time_machine.move_to(moment_offset("after", answer_phase), tick=False)
    assert respondent.has_perm("polls.view_results_poll", poll)
    assert anonymous.has_perm("polls.view_results_poll", poll)


def test_after_close_without_any_answer_phase_results_stay_hidden(make_poll, answer_phase):
    poll = make_poll(results_visibility=Poll.ResultsVisibility.AFTER_CLOSE)
    answer_phase.delete()
    assert not make_user("anonymous").has_perm("polls.view_results_poll", poll)
