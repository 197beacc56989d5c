"""Permissions that say why not.

A ``Check`` is a django-rules predicate (``rules.add_perm`` takes it, ``user.has_perm``, the
``has_perm`` template tag and DRF ask it as usual) that can also name the reason it refuses,
in words for the person refused. Checks combine with ``&`` and ``|`` like any predicate; the
reason of a combination is the one of its first refusing operand (an ``&``), or of its first
operand that gave a reason of its own (an ``|`` all of whose operands refuse).

``why_not(user, perm, obj)`` is the one question the services (through ``ensure_perm``), the
templates and the API ask, so that a page offers an action exactly when the service would
accept it, and both say the same reason when it would not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.utils.translation import gettext as _
from rules.permissions import permissions as registered_permissions

Reason = Callable[[Any, Any], "str | None"]


def denied() -> str:
    """The reason given when a refusal names no reason of its own."""
    return _("Vous n'avez pas les droits nécessaires pour cette action.")


class Check(rules.Predicate):
    """A predicate backed by ``refusal(user, obj) -> str | None`` (None: allowed)."""

    def __init__(self, refusal: Reason, name: str) -> None:
        def test(user, obj=None) -> bool:
            return refusal(user, obj) is None

        super().__init__(test, name=name)
        self.refusal = refusal

    @classmethod
    def of(cls, predicate, reason=None) -> Check:
        """A check of a plain predicate (or of a check), refusing with ``reason`` (a text, a
        lazy text or a callable ``(user, obj) -> str``), else with ``denied()``."""
        if isinstance(predicate, Check) and reason is None:
            return predicate
        if not isinstance(predicate, rules.Predicate):
            predicate = rules.predicate(predicate)

        def refusal(user, obj=None) -> str | None:
            if predicate.test(user, obj):
                return None
            if reason is None:
                return denied()
            return str(reason(user, obj) if callable(reason) else reason)

        return cls(refusal, predicate.name)

    def otherwise(self, reason) -> Check:
        """The same test, refusing with ``reason`` instead of its operands' reasons."""
        return Check.of(self, reason)

    def __and__(self, other) -> Check:
        other = Check.of(other)

        def refusal(user, obj=None) -> str | None:
            return self.refusal(user, obj) or other.refusal(user, obj)

        return Check(refusal, f"({self.name} & {other.name})")

    def __or__(self, other) -> Check:
        other = Check.of(other)

        def refusal(user, obj=None) -> str | None:
            first = self.refusal(user, obj)
            if first is None:
                return None
            second = other.refusal(user, obj)
            if second is None:
                return None
            # "Not a moderator" says less than why the other way is closed.
            return second if first == denied() else first

        return Check(refusal, f"({self.name} | {other.name})")

    def __invert__(self) -> Check:
        # rules' own would wrap the refusal function as if it were the test.
        return Check.of(lambda user, obj=None: self.refusal(user, obj) is not None)


def refusal(fn: Reason) -> Check:
    """Decorator: a check from a function ``(user, obj) -> reason or None``."""
    return Check(fn, fn.__name__)


def why_not(user, perm: str, obj=None) -> str | None:
    """Why ``user`` may not ``perm`` on ``obj``, in words for them; None when they may.
    The same answer as ``user.has_perm(perm, obj)``, with the reason."""
    if user.is_authenticated and not user.is_active:
        return _("Ce compte est désactivé.")
    predicate = registered_permissions.get(perm)
    if isinstance(predicate, Check):
        return predicate.refusal(user, obj)
    return None if user.has_perm(perm, obj) else denied()
