"""participation.team.services: inviting, accepting (once, before expiry), changing and
removing members; refusals leave nothing half-saved."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import TeamRole, User
from accounts.roles import roles_of
from core.errors import ApplicationError, Conflict, Invalid, NotAllowed
from participation.team import services
from participation.team.models import Invitation
from tests.accounts.helpers import only_link_in_last_email, path_of
from tests.factories import UserFactory
from tests.participation.factories import AdminFactory, SpaceFactory
from tests.participation.team.factories import Kind, MunicipalServiceFactory, member

PASSWORD = "Une-phrase-secrete-2026"


def _key(link: str) -> str:
    return path_of(link).rstrip("/").split("/")[-1]


@pytest.fixture
def invite(in_town_a, django_capture_on_commit_callbacks):
    """Invite as ``actor``; returns the invitation and the link's key."""

    def send(actor, email="collegue@ville-a.fr", **fields):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_send(actor=actor, email=email, **fields)
        return invitation, _key(only_link_in_last_email())

    return send


def test_an_admin_invites_a_moderator_who_accepts_with_a_new_account(invite):
    admin = AdminFactory()
    invitation, key = invite(admin, email="Collegue@Ville-A.fr", roles=[Kind.MODERATOR])

    assert invitation.email == "collegue@ville-a.fr"
    assert mail.outbox[0].to == ["collegue@ville-a.fr"]
    assert key not in invitation.key_hash  # only the hash is stored
    colleague = services.invitation_accept(key=key, display_name="Claire", password=PASSWORD)

    assert roles_of(User.objects.get(pk=colleague.pk)) == {Kind.MODERATOR}
    assert colleague.role == User.Role.MODERATOR
    assert colleague.is_email_verified
    assert colleague.check_password(PASSWORD)


def test_an_invitation_link_used_twice_is_refused(invite):
    _invitation, key = invite(AdminFactory(), roles=[Kind.MODERATOR])
    services.invitation_accept(key=key, display_name="Claire", password=PASSWORD)

    with pytest.raises(Invalid, match="déjà servi"):
        services.invitation_accept(key=key, display_name="Autre", password=PASSWORD)
    assert User.objects.filter(email="collegue@ville-a.fr").count() == 1


def test_an_expired_invitation_link_is_refused(invite):
    _invitation, key = invite(AdminFactory(), roles=[Kind.MODERATOR])

    later = timezone.now() + services.INVITATION_LIFETIME + datetime.timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(Invalid, match="expiré"):
        services.invitation_accept(key=key, display_name="Claire", password=PASSWORD)
    assert not User.objects.filter(email="collegue@ville-a.fr").exists()


def test_a_newer_invitation_replaces_the_older_link(invite):
    admin = AdminFactory()
    _first, old_key = invite(admin, roles=[Kind.MODERATOR])
    _second, new_key = invite(admin, roles=[Kind.PAPER_AGENT])

    with pytest.raises(Invalid):
        services.invitation_check(key=old_key)
    assert services.invitation_check(key=new_key).roles == [Kind.PAPER_AGENT]


def test_inviting_an_address_already_in_the_team_is_refused_and_saves_nothing(invite):
    admin = AdminFactory()
    colleague = member(Kind.MODERATOR)

    with pytest.raises(Conflict, match="fait déjà partie de l'équipe"):
        services.invitation_send(actor=admin, email=colleague.email.upper(), roles=[Kind.ADMIN])
    assert not Invitation.objects.exists()


def test_a_role_the_inviter_does_not_hold_is_refused(invite):
    mine, other = SpaceFactory(), SpaceFactory()
    manager = member(Kind.SPACE_MANAGER, spaces=[mine])

    with pytest.raises(NotAllowed, match="un rôle que vous n'avez pas"):
        services.invitation_send(actor=manager, email="x@ville-a.fr", roles=[Kind.MODERATOR])
    with pytest.raises(NotAllowed, match="Vous ne gérez pas"):
        services.invitation_send(
            actor=manager, email="x@ville-a.fr", roles=[Kind.SPACE_MANAGER], spaces=[other]
        )
    assert not Invitation.objects.exists()
    # Their own role, for their own space: accepted.
    invitation, _key = invite(manager, roles=[Kind.SPACE_MANAGER], spaces=[mine])
    assert list(invitation.spaces.all()) == [mine]


@pytest.mark.parametrize(
    ("roles", "field"),
    [([], "roles"), ([Kind.SPACE_MANAGER], "spaces"), ([Kind.ANALYST], "service"),
     ([Kind.OFFICIAL], "official")],
)  # fmt: skip
def test_a_scoped_role_without_its_scope_is_refused(in_town_a, roles, field):
    with pytest.raises(Invalid) as refused:
        services.invitation_send(actor=AdminFactory(), email="x@ville-a.fr", roles=roles)
    assert refused.value.field == field
    assert not Invitation.objects.exists()


def test_citizens_and_moderators_may_not_invite(in_town_a):
    for actor in (UserFactory(), member(Kind.MODERATOR), member(Kind.ANALYST)):
        with pytest.raises(NotAllowed):
            services.invitation_send(actor=actor, email="x@ville-a.fr", roles=[Kind.MODERATOR])


def test_accepting_as_the_signed_in_owner_of_the_address_attaches_the_roles(invite):
    resident = UserFactory(email="collegue@ville-a.fr")
    service = MunicipalServiceFactory()
    _invitation, key = invite(AdminFactory(), roles=[Kind.ANALYST], service=service)

    with pytest.raises(Conflict, match="connectez-vous"):
        services.invitation_accept(key=key, display_name="X", password=PASSWORD)
    with pytest.raises(NotAllowed, match="adressée à"):
        services.invitation_accept(key=key, user=UserFactory())
    services.invitation_accept(key=key, user=resident)

    resident.refresh_from_db()
    assert resident.role == User.Role.STAFF
    assert set(roles_of(resident)) == {Kind.ANALYST}
    assert list(service.members.all()) == [resident]


def test_a_weak_password_on_acceptance_spends_nothing(invite):
    _invitation, key = invite(AdminFactory(), roles=[Kind.MODERATOR])

    with pytest.raises(ApplicationError):
        services.invitation_accept(key=key, display_name="Claire", password="123")
    assert not User.objects.filter(email="collegue@ville-a.fr").exists()
    assert services.invitation_check(key=key).accepted_at is None


def test_an_admin_changes_roles_and_scopes(in_town_a):
    admin = AdminFactory()
    space = SpaceFactory()
    colleague = member(Kind.MODERATOR)

    services.member_roles_set(
        actor=admin, member=colleague, roles=[Kind.SPACE_MANAGER, Kind.PAPER_AGENT], spaces=[space]
    )

    colleague = User.objects.get(pk=colleague.pk)
    assert roles_of(colleague) == {Kind.SPACE_MANAGER, Kind.PAPER_AGENT}
    assert colleague.role == User.Role.STAFF
    assert list(space.moderators.all()) == [colleague]


def test_removing_a_member_takes_every_role_and_scope(in_town_a):
    space = SpaceFactory()
    colleague = member(Kind.SPACE_MANAGER, spaces=[space])

    services.member_remove(actor=AdminFactory(), member=colleague)

    colleague = User.objects.get(pk=colleague.pk)
    assert roles_of(colleague) == frozenset()
    assert colleague.role == User.Role.CITIZEN
    assert not space.moderators.exists()
    assert not TeamRole.objects.filter(user=colleague).exists()


def test_the_town_keeps_an_administrator(in_town_a):
    User.objects.filter(role=User.Role.ADMIN).update(role=User.Role.CITIZEN)
    TeamRole.objects.filter(kind=Kind.ADMIN).delete()
    admin = AdminFactory()

    with pytest.raises(Invalid, match="au moins un administrateur"):
        services.member_remove(actor=admin, member=admin)
    with pytest.raises(Invalid, match="au moins un administrateur"):
        services.member_roles_set(actor=admin, member=admin, roles=[Kind.MODERATOR])
    assert roles_of(User.objects.get(pk=admin.pk)) == {Kind.ADMIN}
