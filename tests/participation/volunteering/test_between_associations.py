"""Requests for help between associations, and the town's questionnaires to them."""

import pytest
from django.urls import reverse

from core.errors import Conflict, Invalid, NotAllowed
from participation.volunteering import services
from participation.volunteering.models import HelpAnswer, Notice, QuestionnaireAnswer
from tests.conftest import client_for
from tests.participation.factories import AdminFactory, ParticipantFactory

from .factories import HubFactory, MembershipFactory

pytestmark = pytest.mark.usefixtures("in_town_a")


def test_another_association_answers_a_request_for_help():
    asking, helping = MembershipFactory(), MembershipFactory()
    request = services.help_request_post(
        actor=asking.user,
        association=asking.association,
        kind="equipment",
        title="Barnum pour samedi",
        description="Un barnum de 3 × 3 m.",
    )
    with pytest.raises(Invalid, match="sa propre demande"):
        services.help_request_answer(
            actor=asking.user, request=request, association=asking.association, message="Moi"
        )
    with pytest.raises(NotAllowed):
        services.help_request_answer(
            actor=ParticipantFactory(), request=request, association=helping.association,
            message="Intrus",
        )  # fmt: skip
    services.help_request_answer(
        actor=helping.user, request=request, association=helping.association, message="Prêté !"
    )
    assert HelpAnswer.objects.get().association == helping.association
    assert Notice.objects.filter(user=asking.user, text__contains="Barnum").exists()


def test_a_questionnaire_gets_one_answer_per_validated_association(town_a):
    admin = AdminFactory()
    validated = MembershipFactory()
    pending = MembershipFactory(association__status="pending", association__validated_at=None)
    questionnaire = services.questionnaire_create(
        actor=admin, title="Vos besoins en salles", questions=["Combien ?", "", "Quand ?"]
    )
    assert questionnaire.questions == ["Combien ?", "Quand ?"]
    assert Notice.objects.filter(user=validated.user).exists()
    assert not Notice.objects.filter(user=pending.user).exists()
    with pytest.raises(NotAllowed):
        services.questionnaire_create(actor=validated.user, title="X", questions=["?"])
    with pytest.raises(Invalid, match="chaque question"):
        services.questionnaire_answer(
            actor=validated.user,
            questionnaire=questionnaire,
            association=validated.association,
            answers=["Deux"],
        )
    services.questionnaire_answer(
        actor=validated.user,
        questionnaire=questionnaire,
        association=validated.association,
        answers=["Deux", "Le samedi"],
    )
    with pytest.raises(Conflict, match="déjà répondu"):
        services.questionnaire_answer(
            actor=validated.user,
            questionnaire=questionnaire,
            association=validated.association,
            answers=["Trois", "Le dimanche"],
        )
    with pytest.raises(NotAllowed, match="pas encore été validée"):
        services.questionnaire_answer(
            actor=pending.user,
            questionnaire=questionnaire,
            association=pending.association,
            answers=["Un", "Jamais"],
        )
    assert QuestionnaireAnswer.objects.count() == 1

    hub = HubFactory()
    client = client_for(town_a)
    client.force_login(admin)
    page = client.get(
        reverse("volunteering_admin:questionnaires", args=[hub.space.slug, hub.pk])
    ).content.decode()
    assert "Le samedi" in page
    xlsx = client.get(
        reverse("volunteering_admin:export", args=[hub.space.slug, hub.pk, "chiffres-xlsx"])
    )
    assert xlsx.content.startswith(b"PK")


def test_the_contact_form_reaches_the_association_which_answers_on_the_platform():
    membership = MembershipFactory()
    resident = ParticipantFactory()
    enquiry = services.enquiry_send(
        sender=resident, association=membership.association, body="Puis-je aider ?"
    )
    assert Notice.objects.filter(user=membership.user).exists()
    with pytest.raises(NotAllowed):
        services.enquiry_reply(actor=resident, enquiry=enquiry, body="Moi-même")
    services.enquiry_reply(actor=membership.user, enquiry=enquiry, body="Oui, merci !")
    with pytest.raises(Conflict):
        services.enquiry_reply(actor=membership.user, enquiry=enquiry, body="Encore")
    assert Notice.objects.filter(user=resident, text__contains="répondu").exists()
    pending = MembershipFactory(association__status="pending", association__validated_at=None)
    with pytest.raises(NotAllowed, match="annuaire"):
        services.enquiry_send(sender=resident, association=pending.association, body="Bonjour")
