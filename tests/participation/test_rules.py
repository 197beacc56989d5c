"""Who sees spaces, who administers the town, who may contribute."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from participation.models import Space
from participation.rules import contribution_refusal, may_contribute
from tenants.models import Tenant
from tenants.services import town_set_status
from tests.factories import UserFactory
from tests.participation.conftest import ROLES, make_user
from tests.participation.factories import ParticipantFactory, ProfileFactory, SpaceFactory


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_visible_to_staff_only(in_town_a, role):
    draft = SpaceFactory(status=Space.Status.DRAFT, published_at=None)
    user = make_user(role)
    assert user.has_perm("participation.view_space", draft) is (role in ("moderator", "admin"))


def test_a_draft_is_visible_to_its_own_moderators(in_town_a):
    draft, other = SpaceFactory(status=Space.Status.DRAFT), SpaceFactory(status=Space.Status.DRAFT)
    resident = ParticipantFactory()
    draft.moderators.add(resident)
    assert resident.has_perm("participation.view_space", draft)
    assert not resident.has_perm("participation.view_space", other)


@pytest.mark.parametrize("role", ROLES)
def test_a_published_space_is_visible_to_everyone(in_town_a, role):
    assert make_user(role).has_perm("participation.view_space", SpaceFactory())


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_administer_the_town(in_town_a, role):
    assert make_user(role).has_perm("participation.admin_town") is (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_the_back_office_is_for_moderators_and_admins(in_town_a, role):
    allowed = role in ("moderator", "admin")
    assert make_user(role).has_perm("participation.view_backoffice") is allowed


@pytest.mark.parametrize("role", ROLES)
def test_following_needs_an_account(in_town_a, role):
    space = SpaceFactory()
    assert make_user(role).has_perm("participation.follow_space", space) is (role != "anonymous")


def test_a_participant_may_contribute(in_town_a):
    participant = ParticipantFactory()
    assert contribution_refusal(participant) is None
    assert may_contribute(participant)


def test_anonymous_may_not_contribute(in_town_a):
    assert not may_contribute(AnonymousUser())
    assert contribution_refusal(AnonymousUser()) == (
        "Connectez-vous ou créez un compte pour participer."
    )


def test_an_unverified_email_may_not_contribute(in_town_a):
    user = UserFactory(email_verified_at=None)
    ProfileFactory(user=user)
    assert not may_contribute(user)
    assert "Confirmez d'abord votre adresse e-mail" in contribution_refusal(user)


@pytest.mark.parametrize("with_profile", [False, True])
def test_without_the_charter_one_may_not_contribute(in_town_a, with_profile):
    user = UserFactory()
    if with_profile:
        ProfileFactory(user=user, charter_accepted_at=None)
    assert not may_contribute(user)
    assert contribution_refusal(user) == "Acceptez la charte de participation pour contribuer."


def test_a_deactivated_account_may_not_contribute(in_town_a):
    user = UserFactory(is_active=False)
    ProfileFactory(user=user, charter_accepted_at=timezone.now())
    assert contribution_refusal(user) == "Ce compte est désactivé."


def test_nobody_contributes_in_a_read_only_town(town_a):
    with tenant_context(town_a):
        participant = ParticipantFactory()
        assert may_contribute(participant)
    read_only = town_set_status(tenant=town_a, status=Tenant.Status.READ_ONLY)
    assert read_only.status == Tenant.Status.READ_ONLY
    with tenant_context(read_only):
        assert not connection.tenant.accepts_contributions
        assert not may_contribute(participant)
        assert contribution_refusal(participant) == (
            "Le site est en lecture seule : les contributions sont fermées."
        )
        # Reading is still allowed.
        assert participant.has_perm("participation.view_space", SpaceFactory())
    town_a.refresh_from_db()
    with tenant_context(town_a):
        assert not may_contribute(participant)
