"""The resident's rights over their data (GDPR): a copy of everything held about them, and
the deletion of their account (their contributions stay, anonymised)."""

from __future__ import annotations

import json
import logging

from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User
from core.errors import Invalid
from participation.models import Profile, SpaceFollow
from participation.notifications.kinds import KINDS
from participation.registry import registry

logger = logging.getLogger(__name__)


def _iso(value):
    return value.isoformat() if value else None


def personal_data(user: User) -> dict:
    """Everything the town's site holds about this resident, JSON-able."""
    profile = Profile.objects.filter(user=user).select_related("neighbourhood").first()
    follows = SpaceFollow.objects.filter(user=user).select_related("space").order_by("created_at")
    data = {
        "town": {"name": connection.tenant.name, "slug": connection.tenant.slug},
        "exported_at": _iso(timezone.now()),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "date_joined": _iso(user.date_joined),
            "email_verified_at": _iso(user.email_verified_at),
            "last_login": _iso(user.last_login),
        },
        "profile": None,
        "followed_spaces": [
            {"title": f.space.title, "slug": f.space.slug, "followed_since": _iso(f.created_at)}
            for f in follows
        ],
        "modules": {},
    }
    if profile is not None:
        data["profile"] = {
            "neighbourhood": profile.neighbourhood.name if profile.neighbourhood else None,
            "birth_year": profile.birth_year,
            "phone": profile.phone,
            "charter_accepted_at": _iso(profile.charter_accepted_at),
            "notifications": {key: getattr(profile, kind.field) for key, kind in KINDS.items()},
        }
    for source in registry.data_sources():
        if source.personal_data is not None:
            data["modules"][source.key] = source.personal_data(user)
    return data


def personal_data_json(user: User) -> bytes:
    return json.dumps(
        personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    ).encode()


def _sessions_of(user: User) -> list[str]:
    """Keys of this account's sessions in the town's schema (the database session store)."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


def account_delete(*, user: User, password: str, confirmed: bool) -> None:
    """Delete the account and what belongs only to it (profile, follows, API tokens,
    sessions). Contributions stay: their author foreign keys are SET_NULL, so they show as
    an anonymous participant. The last administrator of the town may not leave this way."""
    if not confirmed:
        raise Invalid(_("Cochez la case pour confirmer la suppression définitive de votre compte."))
    if not password or not user.check_password(password):
        raise Invalid(_("Mot de passe incorrect : votre compte n'a pas été supprimé."))
    with transaction.atomic():
        # Lock the administrators (in a fixed order): two last admins leaving at once would
        # otherwise both see the other one still there.
        admins = list(
            User.objects.select_for_update()
            .filter(role=User.Role.ADMIN, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.role == User.Role.ADMIN and [pk for pk in admins if pk != user.pk] == []:
            raise Invalid(
                _(
                    "Vous êtes le dernier administrateur de la collectivité : nommez d'abord "
                    "un autre administrateur, puis supprimez votre compte."
                )
            )
        Profile.objects.filter(user=user).delete()
        SpaceFollow.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        Session.objects.filter(session_key__in=_sessions_of(user)).delete()
        user_id = user.pk
        user.delete()
    logger.info("account %s deleted at its owner's request in %s", user_id, connection.schema_name)
