"""Volunteering's services: the rules they keep and the clear refusals of bad input."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, Invalid, NotAllowed
from participation.volunteering import services
from participation.volunteering.models import (
    Application,
    Association,
    ContactRequest,
    Membership,
    Message,
    Mission,
    Notice,
)
from tests.participation.factories import AdminFactory, ParticipantFactory

from .factories import (
    AssociationFactory,
    HubFactory,
    MembershipFactory,
    MissionFactory,
    VolunteerProfileFactory,
)

pytestmark = pytest.mark.usefixtures("in_town_a")


def mission_fields(**overrides):
    start = timezone.now() + datetime.timedelta(days=2)
    fields = {
        "title": "Collecte",
        "description": "Aider.",
        "skills": ["logistique"],
        "schedule": "one_off",
        "recurrence": "",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=3),
        "place": "Halle",
        "neighbourhood": None,
        "places": 2,
        "min_age": 0,
    }
    return {**fields, **overrides}


def association_fields(**overrides):
    fields = {
        "name": "Les Amis du parc",
        "description": "Entretien du parc.",
        "categories": ["environnement"],
        "neighbourhood": None,
        "address": "",
        "website": "",
        "rna": "",
    }
    return {**fields, **overrides}


def test_an_association_signs_up_is_validated_and_hands_over_its_board():
    founder, successor = ParticipantFactory(), ParticipantFactory()
    association = services.association_register(
        actor=founder, **association_fields(rna="w 123456789")
    )
    assert association.status == Association.Status.PENDING
    assert association.rna == "W123456789"
    with pytest.raises(NotAllowed):
        services.association_validate(actor=founder, association=association)
    services.association_validate(actor=AdminFactory(), association=association)
    association.refresh_from_db()
    assert association.is_validated
    assert Notice.objects.filter(user=founder, text__contains="validée").exists()

    services.membership_add(
        actor=founder, association=association, email=successor.email, role="member"
    )
    services.manager_hand_over(actor=founder, association=association, to_user_id=successor.pk)
    roles = dict(Membership.objects.filter(association=association).values_list("user", "role"))
    assert roles == {founder.pk: "member", successor.pk: "manager"}
    with pytest.raises(NotAllowed):
        services.manager_hand_over(actor=founder, association=association, to_user_id=founder.pk)


@pytest.mark.parametrize(
    "rna", ["123456789", "W12345678", "W1234567890", "X123456789", "WABCDEFGHI"]
)
def test_an_rna_number_of_the_wrong_shape_is_refused_and_nothing_is_saved(rna):
    with pytest.raises(Invalid, match="W suivi de 9 chiffres") as error:
        services.association_register(actor=ParticipantFactory(), **association_fields(rna=rna))
    assert error.value.field == "rna"
    assert not Association.objects.exists()


def test_the_database_refuses_a_malformed_rna_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        AssociationFactory(rna="W12")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": timezone.now()}, "ends_at", "se terminer après son début"),
        ({"places": 0}, "places", "au moins un bénévole"),
        ({"places": -3}, "places", "au moins un bénévole"),
    ],
)
def test_bad_missions_are_refused_with_a_clear_message(overrides, field, message):
    membership = MembershipFactory()
    with pytest.raises(Invalid, match=message) as error:
        services.mission_create(
            actor=membership.user,
            component=HubFactory(),
            association=membership.association,
            **mission_fields(**overrides),
        )
    assert error.value.field == field
    assert not Mission.objects.exists()


def test_a_pending_association_cannot_post_missions():
    membership = MembershipFactory(association__status="pending", association__validated_at=None)
    with pytest.raises(NotAllowed, match="pas encore été validée"):
        services.mission_create(
            actor=membership.user,
            component=HubFactory(),
            association=membership.association,
            **mission_fields(),
        )


def test_applications_fill_the_places_then_wait_and_move_up_on_cancellation():
    mission = MissionFactory(places=1)
    first, second, third = (ParticipantFactory() for _ in range(3))
    a1 = services.mission_apply(user=first, mission=mission)
    a2 = services.mission_apply(user=second, mission=mission)
    a3 = services.mission_apply(user=third, mission=mission)
    assert (a1.status, a2.status, a3.status) == ("pending", "waitlisted", "waitlisted")
    mission.refresh_from_db()
    assert mission.status == Mission.Status.FULL
    with pytest.raises(Conflict):
        services.mission_apply(user=first, mission=mission)

    services.application_cancel(user=first, application=a1)
    a2.refresh_from_db()
    a3.refresh_from_db()
    assert (a2.status, a3.status) == ("pending", "waitlisted")
    assert Notice.objects.filter(user=second, text__contains="place s'est libérée").exists()


def test_an_application_to_a_closed_mission_is_refused():
    mission = MissionFactory(status=Mission.Status.CLOSED)
    with pytest.raises(NotAllowed, match="n'accepte plus de candidatures"):
        services.mission_apply(user=ParticipantFactory(), mission=mission)
    assert not Application.objects.exists()


def test_an_application_under_the_minimum_age_is_refused():
    mission = MissionFactory(min_age=18)
    young = ParticipantFactory()
    young.profile.birth_year = timezone.now().year - 15
    young.profile.save()
    with pytest.raises(NotAllowed, match="au moins 18 ans"):
        services.mission_apply(user=young, mission=mission)
    unknown = ParticipantFactory()
    with pytest.raises(Invalid, match="année de naissance"):
        services.mission_apply(user=unknown, mission=mission)
    assert not Application.objects.exists()


def test_the_association_answers_and_records_the_hours_after_the_date(
    django_capture_on_commit_callbacks,
):
    mission = MissionFactory()
    manager = MembershipFactory(association=mission.association).user
    volunteer = ParticipantFactory()
    application = services.mission_apply(user=volunteer, mission=mission)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_answer(actor=manager, application=application, decision="accept")
    with pytest.raises(Invalid, match="après le début"):
        services.application_mark_done(actor=manager, application=application, hours=Decimal("3"))
    with time_machine.travel(mission.ends_at + datetime.timedelta(days=1)):
        with pytest.raises(Invalid):
            services.application_mark_done(
                actor=manager, application=application, hours=Decimal("0")
            )
        services.application_mark_done(actor=manager, application=application, hours=Decimal("3.5"))
    application.refresh_from_db()
    assert (application.status, application.hours) == ("done", Decimal("3.5"))
    assert any(volunteer.email in message.to for message in mail.outbox)
    with pytest.raises(NotAllowed):
        services.application_answer(
            actor=ParticipantFactory(), application=application, decision="decline"
        )


def test_contact_requests_respect_hidden_profiles_blocks_and_declines():
    membership = MembershipFactory()
    association, manager = membership.association, membership.user
    hidden = VolunteerProfileFactory(visible=False)
    with pytest.raises(NotAllowed, match="pas visible"):
        services.contact_request_send(
            actor=manager, association=association, volunteer=hidden.user, message="Bonjour"
        )
    blocking = VolunteerProfileFactory()
    services.volunteer_block(user=blocking.user, association=association)
    with pytest.raises(NotAllowed, match="ne souhaite pas"):
        services.contact_request_send(
            actor=manager, association=association, volunteer=blocking.user, message="Bonjour"
        )
    assert not ContactRequest.objects.exists()

    declining = VolunteerProfileFactory()
    contact = services.contact_request_send(
        actor=manager, association=association, volunteer=declining.user, message="Bonjour"
    )
    with pytest.raises(Conflict):
        services.contact_request_send(
            actor=manager, association=association, volunteer=declining.user, message="Encore"
        )
    with pytest.raises(NotAllowed, match="s'ouvrira"):
        services.message_send(actor=manager, contact=contact, body="Alors ?")
    services.contact_request_answer(user=declining.user, contact=contact, accept=False)
    with pytest.raises(NotAllowed, match="décliné"):
        services.message_send(actor=manager, contact=contact, body="Vraiment ?")
    assert not Message.objects.exists()


def test_an_accepted_contact_opens_a_conversation_without_revealing_addresses(
    django_capture_on_commit_callbacks,
):
    membership = MembershipFactory()
    volunteer = VolunteerProfileFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        _converse(membership, volunteer)
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        other = membership.user.email if volunteer.email in message.to else volunteer.email
        assert other not in message.body
        assert other not in str(message.extra_headers)
        assert message.reply_to == []


def _converse(membership, volunteer):
    contact = services.contact_request_send(
        actor=membership.user,
        association=membership.association,
        volunteer=volunteer,
        message="Nous cherchons un cuisinier.",
    )
    services.contact_request_answer(user=volunteer, contact=contact, accept=True)
    services.message_send(actor=volunteer, contact=contact, body="Avec plaisir !")
    services.message_send(actor=membership.user, contact=contact, body="Merci, à samedi.")
    assert contact.messages.count() == 2
    with pytest.raises(NotAllowed):
        services.message_send(actor=ParticipantFactory(), contact=contact, body="Intrus")


def test_waitlisting_an_application_gives_its_place_to_the_next_in_line_not_back_to_it():
    mission = MissionFactory(places=1)
    manager = MembershipFactory(association=mission.association).user
    first, second = ParticipantFactory(), ParticipantFactory()
    a1 = services.mission_apply(user=first, mission=mission)
    a2 = services.mission_apply(user=second, mission=mission)
    services.application_answer(actor=manager, application=a1, decision="waitlist")
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.status, a2.status) == ("waitlisted", "pending")
    alone = MissionFactory(places=1, association=mission.association)
    only = services.mission_apply(user=first, mission=alone)
    services.application_answer(actor=manager, application=only, decision="waitlist")
    only.refresh_from_db()
    alone.refresh_from_db()
    assert only.status == "waitlisted"
    assert alone.status == Mission.Status.OPEN
