"""Who may answer (the official's account, members of the services answering, a town admin),
route and decline (the space's moderators); nobody acts on a closed question."""

import pytest

from core.errors import NotAllowed
from participation.questions import services
from participation.questions.models import Question
from tests.participation.factories import ModeratorFactory, ParticipantFactory
from tests.participation.officials.factories import MunicipalServiceFactory, OfficialFactory


@pytest.fixture
def routed_to_official(question, staff, official):
    return services.question_route(actor=staff, question=question, official=official)


def test_the_holders_of_a_question_routed_to_an_official(
    routed_to_official, official_account, service_member, staff, citizen
):
    question = routed_to_official
    assert official_account.has_perm("questions.answer_question", question)
    assert service_member.has_perm("questions.answer_question", question)
    assert staff.has_perm("questions.answer_question", question)
    assert not citizen.has_perm("questions.answer_question", question)
    other_official = OfficialFactory(account=ParticipantFactory())
    assert not other_official.account.has_perm("questions.answer_question", question)
    # A town moderator routes but does not answer in an official's name.
    assert not ModeratorFactory().has_perm("questions.answer_question", question)


def test_a_question_routed_to_a_service_is_answered_by_its_members(
    question, staff, service, service_member, official_account
):
    routed = services.question_route(actor=staff, question=question, service=service)
    assert service_member.has_perm("questions.answer_question", routed)
    assert not official_account.has_perm("questions.answer_question", routed)
    answered = services.question_answer(actor=service_member, question=routed, answer="Fait.")
    assert answered.answered_as == "Voirie"


def test_a_received_question_is_answered_only_by_an_admin(question, official_account, staff):
    assert not official_account.has_perm("questions.answer_question", question)
    with pytest.raises(NotAllowed, match="Seuls l'élu ou le service"):
        services.question_answer(actor=official_account, question=question, answer="Non.")
    assert services.question_answer(actor=staff, question=question, answer="Oui.").answered_as


def test_routing_and_declining_are_for_moderators(question, citizen, official_account, official):
    for user in (citizen, official_account):
        with pytest.raises(NotAllowed):
            services.question_route(actor=user, question=question, official=official)
        with pytest.raises(NotAllowed):
            services.question_decline(actor=user, question=question, reason="out_of_scope")
    assert ModeratorFactory().has_perm("questions.route_question", question)


def test_nothing_more_happens_to_an_answered_question(routed_to_official, staff, official):
    answered = services.question_answer(actor=staff, question=routed_to_official, answer="Oui.")
    with pytest.raises(NotAllowed, match="déjà reçu sa réponse"):
        services.question_answer(actor=staff, question=answered, answer="Encore.")
    with pytest.raises(NotAllowed):
        services.question_decline(actor=staff, question=answered, reason="duplicate")
    with pytest.raises(NotAllowed):
        services.question_route(actor=staff, question=answered, official=official)


def test_an_answer_and_a_decline_need_their_words(question, staff, ask, citizen):
    with pytest.raises(Exception, match="Réponse : ce champ est obligatoire"):
        services.question_answer(actor=staff, question=question, answer="  ")
    with pytest.raises(Exception, match="Indiquez la question déjà posée"):
        services.question_decline(actor=staff, question=question, reason="duplicate")
    with pytest.raises(Exception, match="Choisissez le motif"):
        services.question_decline(actor=staff, question=question, reason="boring")
    with pytest.raises(Exception, match="un élu ou à un service"):
        services.question_route(actor=staff, question=question)
    first = ask(citizen, title="Première")
    declined = services.question_decline(
        actor=staff, question=question, reason="duplicate", duplicate_of=first
    )
    assert declined.duplicate_of == first and declined.status == Question.Status.DECLINED


def test_asking_needs_the_asking_phase(component, citizen, ask):
    phase = component.phases.get()
    phase.kind = "answers"
    phase.save()
    with pytest.raises(NotAllowed, match="ne sont pas ouvertes"):
        ask(citizen)


def test_an_unpublished_official_cannot_be_asked(ask, citizen):
    hidden = OfficialFactory(published=False)
    with pytest.raises(Exception, match="Choisissez un élu de la liste"):
        ask(citizen, addressed_to=hidden)


def test_the_members_of_another_service_do_not_hold_it(question, staff, service):
    other = MunicipalServiceFactory()
    outsider = ParticipantFactory()
    other.members.add(outsider)
    routed = services.question_route(actor=staff, question=question, service=service)
    assert not outsider.has_perm("questions.answer_question", routed)
