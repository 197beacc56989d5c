"""Double entry of paper ballots, shared by the modules that take them (budgets, elections):
a ballot is typed by one agent, typed again by another who does not see the first entry, and
counts only when both entries are the same. The modules keep their own rows; this is the rule
they share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from core.errors import NotAllowed


def check_second_agent(first_agent_id: int | None, agent) -> None:
    """The second entry is another agent's: ``NotAllowed`` otherwise."""
    if first_agent_id == agent.pk:
        raise NotAllowed(_("La seconde saisie doit être faite par un autre agent."))


def _normal(entry: Sequence[Any]) -> list:
    return sorted(tuple(item) if isinstance(item, list | tuple) else item for item in entry)


def entries_match(first: Sequence[Any], second: Sequence[Any]) -> bool:
    """Both entries name the same choices (whatever the order they were typed in)."""
    return _normal(first) == _normal(second)
