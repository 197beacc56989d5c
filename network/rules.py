"""Who may do what in the network. Entering it is for a town's staff (accounts.rules'
predicates, on the town's own account); inside, whoever acts is a NetworkMember, and the
services, views and templates ask the same permission strings (core.rules.why_not)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_town_moderator
from core.rules import Check

from .models import NetworkMember, Post, Thread


def _thread_of(obj) -> Thread | None:
    if isinstance(obj, Thread):
        return obj
    return obj.thread if isinstance(obj, Post) else None


@Check.of
def is_member(member, obj=None) -> bool:
    return isinstance(member, NetworkMember)


is_vendor_member = Check.of(
    lambda member, obj=None: isinstance(member, NetworkMember) and member.is_vendor,
    _("Seule l'équipe Agora modère le réseau."),
)

thread_open = Check.of(
    lambda member, obj=None: (
        (thread := _thread_of(obj)) is not None and not thread.locked and not thread.hidden
    ),
    _("Cette discussion est fermée : on n'y répond plus."),
)

is_thread_author = Check.of(
    lambda member, obj=None: (
        (thread := _thread_of(obj)) is not None
        and isinstance(member, NetworkMember)
        and thread.author_id == member.pk
    ),
    _("Seul l'auteur de la question (ou l'équipe Agora) choisit la réponse."),
)

# A town's staff (moderators and admins, on their town's account) may open the network.
rules.add_perm("network.enter_network", is_town_moderator)
rules.add_perm("network.add_thread", is_member)
rules.add_perm("network.add_post", is_member & thread_open)
rules.add_perm("network.mark_answer", is_member & (is_thread_author | is_vendor_member))
rules.add_perm("network.moderate", is_vendor_member)
