"""Sending notifications (``notify`` is the one entry point of every module), residents'
preferences, one-click unsubscribe, and the periodic e-mails (phase openings, weekly digest)."""

from __future__ import annotations

import datetime
import logging

from django.db import connection, transaction
from django.template.loader import TemplateDoesNotExist, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.emails import email_send_on_commit
from accounts.models import User
from core.errors import Invalid
from core.hosts import current_town_url
from participation.models import Phase, Profile, Space
from participation.registry import registry
from participation.services import profile_for
from theming.selectors import site_theme

from . import selectors
from .kinds import DIGEST, KINDS, PHASES, kind_of
from .push import push_send_on_commit, push_wanted
from .tokens import unsubscribe_request, unsubscribe_token

logger = logging.getLogger(__name__)

# A phase that opened longer ago than this (the workers were down) is marked, not announced.
STALE_AFTER = datetime.timedelta(days=2)
DIGEST_PERIOD = datetime.timedelta(days=7)


# Preferences


def wants(user: User | None, kind: str) -> bool:
    """Whether this account should receive e-mails of this kind: active, verified e-mail,
    and the kind not switched off on their profile."""
    field = kind_of(kind).field
    if user is None or not user.is_active or not user.email or not user.is_email_verified:
        return False
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        return Profile._meta.get_field(field).default
    return bool(getattr(profile, field))


def preferences_of(user: User) -> dict[str, bool]:
    profile = profile_for(user)
    return {key: getattr(profile, kind.field) for key, kind in KINDS.items()}


def preferences_update(*, user: User, preferences: dict[str, bool]) -> Profile:
    """Switch each named kind on or off; kinds not named keep their setting."""
    unknown = set(preferences) - set(KINDS)
    if unknown:
        raise Invalid(
            _("Type de notification inconnu : « %(kind)s ».") % {"kind": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        profile = profile_for(user)
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        fields = []
        for key, value in preferences.items():
            setattr(profile, KINDS[key].field, bool(value))
            fields.append(KINDS[key].field)
        if fields:
            profile.save(update_fields=fields)
    return profile


def preferences_url() -> str:
    return current_town_url(reverse("participation:notifications:preferences"))


def unsubscribe_url(user: User, kind: str) -> str:
    return current_town_url(
        reverse("participation:notifications:unsubscribe", args=[unsubscribe_token(user, kind)])
    )


def unsubscribe_check(token: str) -> tuple[User, str]:
    """The account and kind a link of this town designates; Invalid if none."""
    request = unsubscribe_request(token)
    user = (
        User.objects.filter(pk=request.user_id).first()
        if request is not None and request.kind in KINDS
        else None
    )
    if user is None:
        raise Invalid(
            _(
                "Ce lien de désabonnement n'est pas valide sur ce site. Connectez-vous pour "
                "gérer vos notifications."
            )
        )
    return user, request.kind


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Switch off the kind named by a signed link; works without being logged in."""
    user, kind = unsubscribe_check(token)
    preferences_update(user=user, preferences={kind: False})
    return user, kind


# Sending


def _render_content(template: str, context: dict) -> tuple[str, str | None]:
    """The module's own content: ``<name>.txt`` and, when it exists, ``<name>.html``."""
    base = template.removesuffix(".txt").removesuffix(".html")
    text = render_to_string(f"{base}.txt", context)
    try:
        html = render_to_string(f"{base}.html", context)
    except TemplateDoesNotExist:
        html = None
    return text, html


def notify(user: User | None, kind: str, subject: str, template: str, context: dict) -> bool:
    """E-mail ``user`` about ``kind`` if they want it (active, verified e-mail, preference on),
    in the town's layout (name, colours, links to the preferences and to unsubscribe from
    this kind), once the current transaction commits. ``template`` names the content:
    ``<name>.txt`` is required, ``<name>.html`` is used for the HTML part when present
    (otherwise the text is shown). Kinds marked ``push`` also go to the browsers where the
    resident accepted notifications, leading to ``context["link"]``. Returns whether an
    e-mail was queued."""
    if push_wanted(user, kind):
        push_send_on_commit(
            user=user,
            title=connection.tenant.name,
            body=subject,
            url=context.get("link") or current_town_url("/"),
        )
    if not wants(user, kind):
        return False
    town = connection.tenant
    context = {
        **context,
        "recipient": user,
        "town": town,
        "theme": site_theme(),
        "kind_label": kind_of(kind).label,
        "preferences_url": preferences_url(),
        "unsubscribe_url": unsubscribe_url(user, kind),
        "home_url": current_town_url("/"),
    }
    text, html = _render_content(template, context)
    email_send_on_commit(
        to=user.email,
        subject=subject,
        template="notifications/email_base.txt",
        html_template="notifications/email_base.html",
        context={**context, "content_text": text, "content_html": mark_safe(html) if html else ""},  # noqa: S308
    )
    return True


# Phase openings


def phase_openings_notify(*, now: datetime.datetime | None = None) -> int:
    """E-mail the followers of each space whose phase has just opened, once: the phases are
    locked (two workers at once skip each other's) and marked in the same transaction.
    Phases that opened more than STALE_AFTER ago are marked without e-mails. Returns the
    number of e-mails queued."""
    now = now or timezone.now()
    queued = 0
    with transaction.atomic():
        phases = list(
            Phase.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                starts_at__lte=now,
                opening_notified_at__isnull=True,
                component__space__status=Space.Status.PUBLISHED,
            )
            .filter(registry.live_q("component__"))
            .select_related("component__space")
            .order_by("starts_at", "pk")
        )
        for phase in phases:
            if phase.starts_at >= now - STALE_AFTER:
                queued += _phase_opening_send(phase)
            phase.opening_notified_at = now
        Phase.objects.bulk_update(phases, ["opening_notified_at"])
    if phases:
        logger.info(
            "phase openings: %d phase(s) marked, %d e-mail(s) in %s",
            len(phases),
            queued,
            connection.schema_name,
        )
    return queued


def _phase_opening_send(phase: Phase) -> int:
    space = phase.component.space
    town = connection.tenant
    subject = _("%(town)s : « %(phase)s » est ouvert dans « %(space)s »") % {
        "town": town.name,
        "phase": phase.display_title,
        "space": space.title,
    }
    context = {
        "phase": phase,
        "component": phase.component,
        "space": space,
        "link": current_town_url(reverse("participation:space", args=[space.slug])),
    }
    return sum(
        notify(user, PHASES, subject, "notifications/emails/phase_opened", context)
        for user in selectors.phase_followers(phase, PHASES)
    )


# Weekly digest


def weekly_digest_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail each resident who wants the digest what happened in the last 7 days in the
    spaces they follow; nothing to those with nothing new. Returns the number sent."""
    until = now or timezone.now()
    since = until - DIGEST_PERIOD
    town = connection.tenant
    subject = _("%(town)s : les nouvelles de la semaine") % {"town": town.name}
    sent = 0
    for user in selectors.digest_recipients().iterator(chunk_size=500):
        sections = selectors.digest_content(user, since=since, until=until)
        if sections and notify(
            user,
            DIGEST,
            subject,
            "notifications/emails/digest",
            {"sections": sections, "since": since, "until": until},
        ):
            sent += 1
    return sent
