"""Who may ask, route, decline and answer questions to officials. Answering is for whoever
holds the question (the official's account, the members of the services it was routed to or
that answer for that official) and for the town's administrators; routing and declining for
the space's moderators. Each refusal names its reason (``core.rules.why_not``)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_town_admin
from core.rules import Check
from participation.models import MunicipalService, Official
from participation.rules import can_view, is_space_moderator, may_contribute, phase_allows

ASK = "ask"


@rules.predicate
def _holds_question(user, question) -> bool:
    if not user.is_authenticated or getattr(question, "status", None) != "routed":
        return False
    official = question.routed_official
    if official is not None and official.account_id == user.pk:
        return True
    mine = MunicipalService.objects.filter(members=user)
    if (
        question.routed_service_id is not None
        and mine.filter(pk=question.routed_service_id).exists()
    ):
        return True
    return official is not None and mine.filter(officials=official).exists()


@rules.predicate
def _is_open(user, question) -> bool:
    return getattr(question, "status", None) in ("received", "routed")


@rules.predicate
def _answers_somewhere(user, obj=None) -> bool:
    """An official with an account or a service member: they have a queue to look at."""
    if not user.is_authenticated:
        return False
    return (
        MunicipalService.objects.filter(members=user).exists()
        or Official.objects.filter(account=user).exists()
    )


is_open = Check.of(_is_open, _("Cette question a déjà reçu sa réponse ou n'a pas été retenue."))
holds_question = Check.of(
    _holds_question,
    _(
        "Seuls l'élu ou le service à qui la question est transmise, ou un administrateur, "
        "peuvent y répondre."
    ),
)

rules.add_perm(
    "questions.add_question",
    can_view
    & phase_allows(ASK, _("Les questions aux élus ne sont pas ouvertes pendant cette phase."))
    & may_contribute,
)
rules.add_perm("questions.route_question", is_space_moderator & is_open)
rules.add_perm("questions.decline_question", is_space_moderator & is_open)
rules.add_perm("questions.answer_question", is_open & (is_town_admin | holds_question))
# The back office's list of questions (checked against the component).
rules.add_perm("questions.view_queue", is_space_moderator | Check.of(_answers_somewhere))
rules.add_perm("questions.change_settings", is_space_moderator)
