"""E-mails to the people invited to a session: the invitation, the reminders, a change of
date or place, a cancellation. Written in French (the towns' staff), sent once the
transaction that caused them commits."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.emails import email_send_on_commit
from core.formats import local_datetime

from .models import TrainingInvitee, TrainingSession
from .sharing import material_links

INVITATION = "invitation"
REMINDER = "reminder"
CHANGED = "changed"
CANCELLED = "cancelled"


def _when(session: TrainingSession) -> str:
    return local_datetime(session.starts_at)


def _subject(kind: str, session: TrainingSession, days_left: int | None) -> str:
    when = {"when": _when(session)}
    if kind == INVITATION:
        return _("Invitation : formation Agora le %(when)s") % when
    if kind == CHANGED:
        return _("Formation Agora : nouvelles informations (%(when)s)") % when
    if kind == CANCELLED:
        return _("Formation Agora du %(when)s annulée") % when
    if days_left == 0:
        return _("Rappel : formation Agora aujourd'hui, %(when)s") % when
    if days_left == 1:
        return _("Rappel : formation Agora demain, %(when)s") % when
    return _("Rappel : formation Agora dans %(days)d jours, le %(when)s") % {
        **when,
        "days": days_left,
    }


def session_email_send(
    *, invitee: TrainingInvitee, kind: str, days_left: int | None = None
) -> None:
    """Queue one e-mail about the invitee's session (``kind``: INVITATION, REMINDER with
    ``days_left``, CHANGED or CANCELLED)."""
    session = invitee.session
    with translation.override(settings.LANGUAGE_CODE):
        email_send_on_commit(
            to=invitee.email,
            subject=_subject(kind, session, days_left),
            template="training/emails/session.txt",
            context={
                "kind": kind,
                "invitee": invitee,
                "session": session,
                "town": session.town,
                "when": _when(session),
                "ends_at": timezone.localtime(session.ends_at),
                "days_left": days_left,
                "materials": material_links(session),
            },
        )
