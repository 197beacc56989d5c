"""The permission matrix: who may submit a proposal when, and who may analyse."""

import re

import pytest

from core.errors import NotAllowed
from participation.ideas import services
from participation.ideas.models import Proposal
from tests.participation.conftest import MOMENTS, ROLES, make_user, moment_offset

CONTRIBUTORS = ("citizen", "moderator", "admin")


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_submit_and_when(component, collect_phase, time_machine, role, moment):
    user = make_user(role)
    time_machine.move_to(moment_offset(moment, collect_phase), tick=False)
    allowed = role in CONTRIBUTORS and moment == "during"

    assert user.has_perm("ideas.add_proposal", component) is allowed
    arguments = {"title": "Un banc", "description": "Près de l'école."}
    if allowed:
        services.proposal_submit(author=user, component=component, **arguments)
        assert Proposal.objects.filter(component=component, author=user).count() == 1
    else:
        with pytest.raises(NotAllowed):
            services.proposal_submit(author=user, component=component, **arguments)
        assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        ("anonymous", "Connectez-vous ou créez un compte pour participer."),
        ("unverified", "Confirmez d'abord votre adresse e-mail (lien reçu à l'inscription)."),
    ],
)
def test_refusal_names_the_missing_step(component, collect_phase, role, reason):
    with pytest.raises(NotAllowed, match=re.escape(reason)):
        services.proposal_submit(
            author=make_user(role), component=component, title="Un banc", description="Ici."
        )


@pytest.mark.parametrize("moment", ["before", "after"])
def test_outside_the_collect_phase_submitting_is_closed(
    component, collect_phase, time_machine, moment
):
    citizen = make_user("citizen")
    time_machine.move_to(moment_offset(moment, collect_phase), tick=False)
    with pytest.raises(NotAllowed, match="Le dépôt d'idées n'est pas ouvert pendant cette phase"):
        services.proposal_submit(
            author=citizen, component=component, title="Un banc", description="Ici."
        )


def test_a_draft_space_takes_no_proposal(component, collect_phase):
    component.space.status = component.space.Status.DRAFT
    component.space.save()
    citizen = make_user("citizen")
    assert not citizen.has_perm("ideas.add_proposal", component)
    with pytest.raises(NotAllowed, match="Cet espace n'est pas publié"):
        services.proposal_submit(
            author=citizen, component=component, title="Un banc", description="Ici."
        )


def test_only_staff_and_space_moderators_analyse(component):
    for role in ROLES:
        expected = role in ("moderator", "admin")
        assert make_user(role).has_perm("ideas.analyse_proposal", component) is expected
    citizen = make_user("citizen")
    component.space.moderators.add(citizen)
    assert citizen.has_perm("ideas.analyse_proposal", component)


def test_only_the_author_edits_while_submitted_and_collecting(
    proposal, citizen, staff, collect_phase, time_machine
):
    assert citizen.has_perm("ideas.change_proposal", proposal)
    assert not make_user("citizen").has_perm("ideas.change_proposal", proposal)
    assert not staff.has_perm("ideas.change_proposal", proposal)
    services.proposal_assign(actor=staff, proposal=proposal, service="Voirie")
    proposal.refresh_from_db()
    assert not citizen.has_perm("ideas.change_proposal", proposal)
    with pytest.raises(NotAllowed, match="déjà examinée"):
        services.proposal_edit(author=citizen, proposal=proposal, title="Autre", description="…")


def test_edit_after_the_collect_is_refused(proposal, citizen, collect_phase, time_machine):
    time_machine.move_to(moment_offset("after", collect_phase), tick=False)
    with pytest.raises(NotAllowed, match="Le dépôt d'idées est clos"):
        services.proposal_edit(author=citizen, proposal=proposal, title="Autre", description="…")


def test_residents_may_not_analyse(proposal, citizen):
    with pytest.raises(NotAllowed):
        services.proposal_mark_eligible(actor=citizen, proposal=proposal)
    with pytest.raises(NotAllowed):
        services.proposal_assign(actor=citizen, proposal=proposal, service="Voirie")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.assigned_service == ""
