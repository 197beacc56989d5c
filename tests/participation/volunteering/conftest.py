import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from participation.volunteering import services
from participation.volunteering.models import Event
from tests.participation.factories import AdminFactory, ParticipantFactory

from .factories import MembershipFactory, MissionFactory, VolunteerProfileFactory

VOLUNTEER_EMAIL = "benevole.secret@exemple.fr"
VOLUNTEER_PHONE = "06 12 34 56 78"


@pytest.fixture
def hub_world(in_town_a, django_capture_on_commit_callbacks):
    """A hub with an association, its mission and event, and a volunteer (known e-mail and
    phone) who applied, was accepted, did the mission, and accepted a contact request and
    wrote in its conversation."""
    mission = MissionFactory(
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=1),
    )
    manager = MembershipFactory(association=mission.association).user
    profile = VolunteerProfileFactory(
        user=ParticipantFactory(email=VOLUNTEER_EMAIL, display_name="Camille")
    )
    volunteer = profile.user
    volunteer.profile.phone = VOLUNTEER_PHONE
    volunteer.profile.save()
    Event.objects.create(
        component=mission.component,
        association=mission.association,
        title="Portes ouvertes",
        description="Venez.",
        starts_at=timezone.now() + datetime.timedelta(days=5),
        ends_at=timezone.now() + datetime.timedelta(days=5, hours=2),
        place="Salle",
        capacity=10,
    )
    with django_capture_on_commit_callbacks(execute=True):
        application = services.mission_apply(user=volunteer, mission=mission, message="Dispo")
        services.application_answer(actor=manager, application=application, decision="accept")
        with time_machine.travel(mission.ends_at + datetime.timedelta(hours=1)):
            services.application_mark_done(
                actor=manager, application=application, hours=Decimal("4")
            )
        contact = services.contact_request_send(
            actor=manager, association=mission.association, volunteer=volunteer, message="Hello"
        )
        services.contact_request_answer(user=volunteer, contact=contact, accept=True)
        services.message_send(actor=volunteer, contact=contact, body="Bonjour à vous")
        services.message_send(actor=manager, contact=contact, body="Merci")
        enquiry = services.enquiry_send(
            sender=volunteer, association=mission.association, body="Vous recrutez en mai ?"
        )
        services.enquiry_reply(actor=manager, enquiry=enquiry, body="Oui, écrivez-nous !")
    return {
        "hub": mission.component,
        "mission": mission,
        "association": mission.association,
        "manager": manager,
        "volunteer": volunteer,
        "contact": contact,
        "admin": AdminFactory(),
        "resident": ParticipantFactory(),
    }
