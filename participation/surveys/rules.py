"""Who may answer a survey, see its results and build it."""

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from core.rules import refusal
from participation.rules import can_view, component_of, is_space_moderator, may_contribute

ANSWER = "answer"


def answer_phase_state(component, now=None) -> str:
    """ "open" during an answer phase, "closed" once the last one has ended, else "not_yet"."""
    now = now or timezone.now()
    if component.phase_allows(ANSWER, now):
        return "open"
    phases = [phase for phase in component.phases.all() if ANSWER in phase.features]
    # No answer phase runs now: answering is over once none is left to come.
    if phases and not any(phase.starts_at > now for phase in phases):
        return "closed"
    return "not_yet"


@rules.predicate
def answering_is_over(user, obj) -> bool:
    component = component_of(obj)
    return component is not None and answer_phase_state(component) == "closed"


@refusal
def answering_open(user, obj) -> str | None:
    component = component_of(obj)
    state = answer_phase_state(component) if component is not None else "not_yet"
    if state == "closed":
        return _("Ce questionnaire n'est plus ouvert aux réponses.")
    if state == "not_yet":
        return _("Ce questionnaire n'est pas encore ouvert aux réponses.")
    return None


rules.add_perm("surveys.answer_survey", may_contribute & answering_open & can_view)
rules.add_perm("surveys.view_survey_results", is_space_moderator | (can_view & answering_is_over))
rules.add_perm("surveys.add_survey", is_space_moderator)
rules.add_perm("surveys.change_survey", is_space_moderator)
rules.add_perm("surveys.export_survey", is_space_moderator)
