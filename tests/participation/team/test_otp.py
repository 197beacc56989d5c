"""The second factor of the town's staff: optional per member, required of administrators
when the town says so, asked at the door of the back office."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from participation.team.models import TeamSettings
from tests.console.helpers import totp_now
from tests.participation.conftest import logged_in
from tests.participation.factories import AdminFactory
from tests.participation.team.factories import Kind, member

ENROL = "/gestion/double-authentification/activer/"
VERIFY = "/gestion/double-authentification/"


def test_without_a_device_nothing_changes(town_a, in_town_a):
    assert logged_in(town_a, member(Kind.MODERATOR)).get("/gestion/").status_code == 200


def test_a_member_turns_it_on_then_types_a_code_at_each_sign_in(town_a, in_town_a):
    moderator = member(Kind.MODERATOR)
    client = logged_in(town_a, moderator)

    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=moderator, confirmed=False)
    assert client.post(ENROL, {"token": "12"}).status_code == 400
    response = client.post(ENROL, {"token": totp_now(device)})
    assert response.status_code == 302
    assert client.get("/gestion/").status_code == 200  # this session is verified

    again = logged_in(town_a, moderator)
    response = again.get("/gestion/espaces/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fgestion%2Fespaces%2F"
    assert again.post(VERIFY, {"token": "123"}).status_code == 400
    device.refresh_from_db()
    # A code serves once: the next one, a step later (and past the failure's delay).
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        response = again.post(VERIFY, {"token": totp_now(device), "next": "/gestion/espaces/"})
        assert response["Location"] == "/gestion/espaces/"
        assert again.get("/gestion/espaces/").status_code == 200


def test_a_town_requires_it_of_its_administrators(town_a, in_town_a):
    admin, other_admin, moderator = AdminFactory(), AdminFactory(), member(Kind.MODERATOR)
    client = logged_in(town_a, admin)

    # Not before its author has a device: the rule never locks them out.
    client.post("/gestion/equipe/double-authentification/", {"required": "1"})
    assert not TeamSettings.objects.get().require_admin_totp
    client.get(ENROL)
    client.post(ENROL, {"token": totp_now(TOTPDevice.objects.get(user=admin))})
    client.post("/gestion/equipe/double-authentification/", {"required": "1"})
    assert TeamSettings.objects.get().require_admin_totp

    response = logged_in(town_a, other_admin).get("/gestion/")
    assert response["Location"] == f"{ENROL}?next=%2Fgestion%2F"
    assert logged_in(town_a, moderator).get("/gestion/").status_code == 200


@pytest.mark.parametrize("required", [True, False])
def test_turning_it_off(town_a, in_town_a, required):
    admin = AdminFactory()
    client = logged_in(town_a, admin)
    client.get(ENROL)
    client.post(ENROL, {"token": totp_now(TOTPDevice.objects.get(user=admin))})
    TeamSettings.objects.update_or_create(pk=1, defaults={"require_admin_totp": required})

    client.post("/gestion/double-authentification/retirer/")

    assert TOTPDevice.objects.filter(user=admin).exists() == required
