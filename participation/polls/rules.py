"""Who may answer a poll, see its results and manage it."""

import rules
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.rules import (
    can_view,
    component_of,
    is_space_moderator,
    may_contribute,
    phase_allows,
)

ANSWER_PHASE = "answer"


def has_answered_poll(user, poll) -> bool:
    """Whether this account has answered; selectors may have filled ``poll._answered_by``."""
    if not user.is_authenticated:
        return False
    known = getattr(poll, "_answered_by", None)
    if known is not None and user.pk in known:
        return known[user.pk]
    from .models import Answer

    return Answer.objects.filter(poll=poll, user=user).exists()


def answer_phase_closed(component, now=None) -> bool:
    """True once the component's last answer phase has ended (False if it never had one)."""
    if component is None:
        return False
    now = now or timezone.now()
    ends = [phase.ends_at for phase in component.phases.all() if phase.kind == ANSWER_PHASE]
    return bool(ends) and max(ends) <= now


@rules.predicate
def has_answered(user, poll) -> bool:
    return has_answered_poll(user, poll)


@rules.predicate
def results_after_answer(user, poll) -> bool:
    return getattr(poll, "results_visibility", None) == "after_answer"


@rules.predicate
def results_after_close(user, poll) -> bool:
    return getattr(poll, "results_visibility", None) == "after_close"


@rules.predicate
def is_answer_phase_closed(user, obj) -> bool:
    return answer_phase_closed(component_of(obj))


rules.add_perm(
    "polls.answer_poll",
    may_contribute
    & (can_view & phase_allows(ANSWER_PHASE)).otherwise(
        _("Ce sondage n'est pas ouvert aux réponses.")
    ),
)
rules.add_perm(
    "polls.view_results_poll",
    is_space_moderator
    | (can_view & results_after_answer & has_answered)
    | (can_view & results_after_close & is_answer_phase_closed),
)
rules.add_perm("polls.change_poll", is_space_moderator)
