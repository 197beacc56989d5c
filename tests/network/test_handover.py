"""The hand-over from a town's back office to the network: a town's staff gets in without a
new sign-in; nobody else does, no token works twice or late, and nothing of the network's
session opens a town's back office."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.test import Client
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import NotAllowed
from network.handover import SALT, handover_consume, handover_issue
from network.models import HandoverUse, NetworkMember
from tenants.models import Tenant
from tests.conftest import client_for, console_client_for
from tests.network.conftest import town_account

pytestmark = pytest.mark.django_db


def back_office_client(town, user) -> Client:
    client = client_for(town)
    with tenant_context(town):
        client.force_login(user)
    return client


def hand_over(town, user) -> str:
    """The network's address the town's host sends the browser to (path and query)."""
    response = back_office_client(town, user).get("/gestion/reseau/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.hostname == settings.PLATFORM_DOMAIN
    assert location.path == "/reseau/entree/"
    return f"{location.path}?{location.query}"


def platform_client() -> Client:
    return Client(HTTP_HOST=settings.PLATFORM_DOMAIN)


@pytest.mark.parametrize("role", [User.Role.ADMIN, User.Role.MODERATOR])
def test_a_towns_staff_reaches_the_forum_from_its_back_office(town_a, role):
    user = town_account(town_a, role, display_name="Claire Martin")
    dashboard = back_office_client(town_a, user).get("/gestion/")
    assert 'href="/gestion/reseau/"' in dashboard.content.decode()

    browser = platform_client()
    entered = browser.get(hand_over(town_a, user))
    assert entered.status_code == 302 and entered["Location"] == "/reseau/"
    # The network's own session: a cookie of the platform's host only.
    assert entered.cookies[settings.SESSION_COOKIE_NAME]["domain"] == ""
    home = browser.get("/reseau/")
    assert home.status_code == 200
    assert "Claire Martin (Ville A)" in home.content.decode()
    member = NetworkMember.objects.get(tenant=town_a, town_user_id=user.pk)
    assert (member.role, member.email) == (role, user.email)


def test_a_resident_never_reaches_the_forum(town_a):
    resident = town_account(town_a, User.Role.CITIZEN)
    assert back_office_client(town_a, resident).get("/gestion/reseau/").status_code == 403
    # Even with a token signed for them (as if the town's check were forgotten).
    browser = platform_client()
    token = handover_issue(tenant=town_a, user=resident)
    refused = browser.get("/reseau/entree/", {"jeton": token})
    assert refused.status_code == 403
    assert "pas valable" in refused.content.decode()
    assert browser.get("/reseau/").status_code == 403
    assert not NetworkMember.objects.filter(tenant=town_a, town_user_id=resident.pk).exists()


def test_an_anonymous_visitor_sees_how_to_enter_and_nothing_else(db, member_a):
    page = platform_client().get("/reseau/")
    assert page.status_code == 403
    assert "espace de gestion" in page.content.decode()
    assert platform_client().get("/reseau/discussion/1/").status_code == 403


def test_a_token_opens_one_session_only(town_a):
    user = town_account(town_a)
    address = hand_over(town_a, user)
    assert platform_client().get(address).status_code == 302
    replay = platform_client()
    assert replay.get(address).status_code == 403
    assert replay.get("/reseau/").status_code == 403
    assert HandoverUse.objects.filter(town_user_id=user.pk).count() == 1


def test_a_token_is_worth_one_minute(town_a):
    user = town_account(town_a)
    token = handover_issue(tenant=town_a, user=user)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=61)
    with time_machine.travel(later), pytest.raises(NotAllowed):
        handover_consume(token=token)


@pytest.mark.parametrize(
    "forge",
    [
        lambda town, user: signing.dumps({"t": town.pk, "u": user.pk, "n": "x"}, salt="other"),
        lambda town, user: handover_issue(tenant=town, user=user)[:-2] + "xx",
        lambda town, user: "",
        lambda town, user: signing.dumps({"t": town.pk}, salt=SALT),
    ],
    ids=["other-salt", "tampered", "empty", "incomplete"],
)
def test_a_forged_token_is_refused(town_a, forge):
    user = town_account(town_a)
    with pytest.raises(NotAllowed):
        handover_consume(token=forge(town_a, user))
    assert not NetworkMember.objects.filter(town_user_id=user.pk).exists()


def test_a_token_names_one_town_and_cannot_be_moved_to_another(town_a, town_b):
    """The town is signed into the token: the same user id in town B's schema (someone
    else) is never reached by editing it."""
    user = town_account(town_a)
    token = handover_issue(tenant=town_a, user=user)
    payload = signing.loads(token, salt=SALT)
    moved = signing.dumps({**payload, "t": town_b.pk}, salt="not-the-salt")
    with pytest.raises(NotAllowed):
        handover_consume(token=moved)


def test_staff_demoted_or_disabled_since_the_click_is_refused(town_a):
    user = town_account(town_a)
    token = handover_issue(tenant=town_a, user=user)
    with tenant_context(town_a):
        User.objects.filter(pk=user.pk).update(role=User.Role.CITIZEN)
    with pytest.raises(NotAllowed):
        handover_consume(token=token)


def test_a_suspended_towns_staff_is_refused_and_loses_the_forum(town_a, member_a):
    from tests.network.conftest import network_client

    browser = network_client(member_a)
    assert browser.get("/reseau/").status_code == 200
    user = town_account(town_a)
    token = handover_issue(tenant=town_a, user=user)
    Tenant.objects.filter(pk=town_a.pk).update(status=Tenant.Status.SUSPENDED)
    with pytest.raises(NotAllowed):
        handover_consume(token=token)
    assert browser.get("/reseau/").status_code == 403


def test_the_network_never_opens_another_towns_back_office(town_a, town_b):
    """Town A's staff in the network: town B's back office stays closed, whatever cookie the
    browser sends there, and no network address exists on a town's host."""
    user = town_account(town_a)
    browser = platform_client()  # Django's test client sends its cookies to every host
    browser.get(hand_over(town_a, user))
    assert browser.get("/reseau/").status_code == 200
    on_b = browser.get("/gestion/", HTTP_HOST=f"{town_b.slug}.{settings.PLATFORM_DOMAIN}")
    assert on_b.status_code == 302 and "/compte/connexion/" in on_b["Location"]
    on_a = browser.get("/gestion/", HTTP_HOST=f"{town_a.slug}.{settings.PLATFORM_DOMAIN}")
    assert on_a.status_code == 302 and "/compte/connexion/" in on_a["Location"]
    # The hand-over's end is on the platform's host only.
    town_b_host = client_for(town_b)
    token = handover_issue(tenant=town_a, user=user)
    assert town_b_host.get("/reseau/entree/", {"jeton": token}).status_code == 404


def test_the_vendor_staff_enter_with_their_console_account(vendor_staff):
    page = console_client_for(vendor_staff).get("/reseau/")
    assert page.status_code == 200
    member = NetworkMember.objects.get(vendor_user=vendor_staff)
    assert member.town_name == "Agora" and member.tenant is None


def test_the_network_session_ends_after_a_working_day(town_a):
    user = town_account(town_a)
    browser = platform_client()
    browser.get(hand_over(town_a, user))
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=11)
    with time_machine.travel(later):
        assert browser.get("/reseau/").status_code == 403


@pytest.mark.parametrize(
    ("asked", "landing"),
    [
        ("/reseau/discussion/12/", "/reseau/discussion/12/"),
        ("https://ailleurs.example/reseau/", "/reseau/"),
        ("//ailleurs.example/reseau/", "/reseau/"),
        ("/reseau//ailleurs.example", "/reseau/"),
        ("/gestion/", "/reseau/"),
    ],
)
def test_the_hand_over_lands_on_a_page_of_the_network_only(town_a, asked, landing):
    user = town_account(town_a)
    response = back_office_client(town_a, user).get("/gestion/reseau/", {"suite": asked})
    location = urlsplit(response["Location"])
    entered = platform_client().get(f"{location.path}?{location.query}")
    assert entered.status_code == 302 and entered["Location"] == landing
    # Sent straight to the platform's entry, the same rule holds.
    token = handover_issue(tenant=town_a, user=user)
    direct = platform_client().get("/reseau/entree/", {"jeton": token, "suite": asked})
    assert direct["Location"] == landing
