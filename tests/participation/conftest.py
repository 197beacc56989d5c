"""The permission matrix: anonymous / citizen / moderator / admin × before / during / after."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django_tenants.utils import tenant_context

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.factories import AdminFactory, ModeratorFactory, ParticipantFactory

ROLES = ("anonymous", "unverified", "citizen", "moderator", "admin")
MOMENTS = ("before", "during", "after")


def make_user(role: str):
    """A user of the current town for one role of the matrix."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "unverified":
        return UserFactory(email_verified_at=None)
    factory = {"citizen": ParticipantFactory, "moderator": ModeratorFactory, "admin": AdminFactory}
    return factory[role]()


def moment_offset(moment: str, phase) -> datetime.datetime:
    """A time before, during or after the phase."""
    return {
        "before": phase.starts_at - datetime.timedelta(hours=1),
        "during": phase.starts_at + (phase.ends_at - phase.starts_at) / 2,
        "after": phase.ends_at + datetime.timedelta(hours=1),
    }[moment]


def logged_in(tenant, user=None):
    """A browser on ``tenant``'s host, signed in as ``user`` (anonymous when None)."""
    client = client_for(tenant)
    if user is not None:
        with tenant_context(tenant):
            client.force_login(user)
    return client
