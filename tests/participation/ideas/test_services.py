"""Submitting (validation, limit per person), analysis, notifications, merging, the vote."""

import re
import threading
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import tenant_context

from core.errors import ApplicationError, NotAllowed
from participation.budgets import services as budget_services
from participation.budgets.models import Project
from participation.comments import services as comment_services
from participation.comments.models import Support
from participation.ideas import budgets, selectors, services
from participation.ideas.models import (
    Proposal,
    ProposalProject,
    ProposalStatusChange,
)
from participation.ideas.statistics import ideas_statistics
from participation.models import Image
from tenants.models import Tenant
from tests.conftest import TOWN_A
from tests.participation.factories import (
    ComponentFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
    PhaseFactory,
)
from tests.participation.ideas.conftest import image_upload

Status = Proposal.Status


# Submitting and validation


def test_a_proposal_is_submitted_with_its_history(submit, citizen, category):
    neighbourhood = NeighbourhoodFactory(name="Centre-ville")
    proposal = submit(
        citizen,
        title="  Un verger partagé  ",
        category=category,
        neighbourhood=neighbourhood,
        address="Parc des Tilleuls",
        latitude="48.856600",
        longitude="2.352200",
        estimated_cost="12000",
        image=image_upload(),
        image_alt="  Une pelouse au soleil  ",
    )
    proposal.refresh_from_db()
    assert proposal.title == "Un verger partagé"
    assert proposal.status == Status.SUBMITTED
    assert proposal.author == citizen
    assert proposal.category == category
    assert proposal.neighbourhood == neighbourhood
    assert proposal.latitude == Decimal("48.856600")
    assert proposal.estimated_cost == Decimal("12000.00")
    assert proposal.image.alt == "Une pelouse au soleil"
    assert proposal.image.widths == [8]  # never enlarged
    assert default_storage.exists(proposal.image.path(8))  # stored under a random name, WebP
    [change] = proposal.history.all()
    assert (change.from_status, change.to_status, change.by) == ("", Status.SUBMITTED, citizen)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "   "}, "Titre : ce champ est obligatoire."),
        ({"title": "x" * 151}, "Titre : 151 caractères, 150 au plus."),
        ({"description": ""}, "Description : ce champ est obligatoire."),
        ({"description": "x" * 5001}, "Description : 5001 caractères, 5000 au plus."),
        ({"estimated_cost": "-5"}, "Coût estimé : le montant ne peut pas être négatif."),
        ({"estimated_cost": "beaucoup"}, "Coût estimé : « beaucoup » n'est pas un nombre."),
        (
            {"latitude": "48.8"},
            "Coordonnées GPS : indiquez la latitude et la longitude, ou aucune des deux.",
        ),
        (
            {"latitude": "91", "longitude": "2.35"},
            "Coordonnées GPS : la latitude va de -90 à 90 et la longitude de -180 à 180",
        ),
        (
            {"latitude": "48.85", "longitude": "-200"},
            "Coordonnées GPS : la latitude va de -90 à 90",
        ),
        (
            {"latitude": "40.7128", "longitude": "-74.0060"},  # New York
            "Coordonnées GPS : le point (40.7128, -74.0060) n'est pas en France.",
        ),
        ({"latitude": "nord", "longitude": "2"}, "Latitude : « nord » n'est pas un nombre."),
    ],
)
def test_invalid_proposals_are_refused_with_a_french_message(submit, citizen, overrides, message):
    with pytest.raises(ApplicationError) as caught:
        submit(citizen, **overrides)
    assert str(caught.value).startswith(message)
    assert not Proposal.objects.exists()


def test_overseas_coordinates_are_in_france(submit, citizen):
    proposal = submit(citizen, latitude="-20.8789", longitude="55.4481")  # Saint-Denis (974)
    assert proposal.longitude == Decimal("55.448100")


def test_an_image_over_10_mb_is_refused(submit, citizen):
    big = SimpleUploadedFile("grande.png", b"\x89PNG" + b"0" * 20 * 1024 * 1024, "image/png")
    with pytest.raises(
        ApplicationError,
        match=re.escape("L'image fait 20,0\xa0Mio : 10,0\xa0Mio au plus."),
    ):
        submit(citizen, image=big, image_alt="Une photo")
    assert not Proposal.objects.exists()
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("photo.png", b"<?php echo 'pas une image'; ?>", "image/png"),
            "« photo.png » n'est pas une image PNG, JPEG ou WebP",
        ),
        (SimpleUploadedFile("photo.jpg", b"", "image/jpeg"), "Le fichier « photo.jpg » est vide."),
    ],
)
def test_a_file_that_is_not_an_image_is_refused(submit, citizen, upload, message):
    with pytest.raises(ApplicationError, match=re.escape(message)):
        submit(citizen, image=upload, image_alt="Une photo")
    assert not Proposal.objects.exists()


def test_an_image_of_another_format_is_refused_whatever_its_name(submit, citizen):
    with pytest.raises(ApplicationError, match="n'est pas une image PNG, JPEG ou WebP"):
        submit(citizen, image=image_upload("GIF", name="photo.png"), image_alt="Une photo")


def test_an_image_without_its_description_is_refused(submit, citizen):
    with pytest.raises(ApplicationError, match="Décrivez l'image en quelques mots") as caught:
        submit(citizen, image=image_upload(), image_alt="   ")
    assert caught.value.field == "image_alt"
    assert not Proposal.objects.exists()
    assert not Image.objects.exists()


@pytest.mark.parametrize("image_format", ["JPEG", "WEBP"])
def test_jpeg_and_webp_are_accepted(submit, citizen, image_format):
    proposal = submit(
        citizen, image=image_upload(image_format, name="photo.gif"), image_alt="Une photo"
    )
    with default_storage.open(proposal.image.path(8)) as stored:
        assert stored.read(12)[8:] == b"WEBP"


def test_the_author_replaces_then_removes_the_image(submit, citizen, collect_phase):
    proposal = submit(citizen, image=image_upload(), image_alt="Avant")
    first = proposal.image
    edit = {"title": proposal.title, "description": proposal.description}
    services.proposal_edit(
        author=citizen, proposal=proposal, image=image_upload("JPEG"), image_alt="Après", **edit
    )
    proposal.refresh_from_db()
    assert proposal.image.alt == "Après"
    assert not Image.objects.filter(pk=first.pk).exists()
    services.proposal_edit(author=citizen, proposal=proposal, remove_image=True, **edit)
    proposal.refresh_from_db()
    assert proposal.image is None
    assert not Image.objects.exists()


def test_html_is_stored_as_text(submit, citizen):
    proposal = submit(citizen, title="<script>alert(1)</script>", description="<b>gras</b>")
    proposal.refresh_from_db()
    assert proposal.title == "<script>alert(1)</script>"
    assert proposal.description == "<b>gras</b>"


def test_a_category_of_another_component_is_refused(submit, citizen, in_town_a):
    from participation.ideas.models import Category

    other = Category.objects.create(component=ComponentFactory(type_key="ideas"), name="Autre")
    with pytest.raises(ApplicationError, match="Cette catégorie n'appartient pas"):
        submit(citizen, category=other)


def test_the_author_edits_a_submitted_proposal(proposal, citizen):
    services.proposal_edit(
        author=citizen,
        proposal=proposal,
        title="Des arceaux couverts",
        description="Avec un abri.",
        address="Parvis",
    )
    proposal.refresh_from_db()
    assert (proposal.title, proposal.address) == ("Des arceaux couverts", "Parvis")


def test_someone_else_may_not_edit(proposal):
    with pytest.raises(NotAllowed, match="Seul l'auteur"):
        services.proposal_edit(
            author=ParticipantFactory(), proposal=proposal, title="Piraté", description="…"
        )


# Limit per person


def test_the_limit_per_person_is_enforced(submit, citizen, component):
    component.settings = {"max_proposals_per_person": 2}
    component.save()
    submit(citizen, title="Une")
    submit(citizen, title="Deux")
    with pytest.raises(
        ApplicationError,
        match=re.escape(
            "Vous avez déjà déposé 2 idées dans cet appel : c'est le maximum par personne."
        ),
    ):
        submit(citizen, title="Trois")
    assert Proposal.objects.filter(author=citizen).count() == 2
    submit(ParticipantFactory(), title="Une autre personne")  # the limit is per person


def test_no_limit_by_default(submit, citizen, component):
    assert component.setting("max_proposals_per_person") is None
    for number in range(4):
        submit(citizen, title=f"Idée {number}")
    assert Proposal.objects.filter(author=citizen).count() == 4


def test_concurrent_submissions_at_the_limit_never_exceed_it(django_db_setup, committed_db):
    # django_db_setup named too: the test database, never the development one.
    town = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town):
        phase = PhaseFactory(component=ComponentFactory(type_key="ideas"), kind="collect")
        component = phase.component
        component.settings = {"max_proposals_per_person": 2}
        component.save()
        author = ParticipantFactory()
        services.proposal_submit(
            author=author, component=component, title="Première", description="…"
        )
    barrier = threading.Barrier(2)
    outcomes: list = []

    def send(number: int) -> None:
        try:
            with tenant_context(town):
                barrier.wait(timeout=10)
                try:
                    services.proposal_submit(
                        author=author,
                        component=component,
                        title=f"En même temps {number}",
                        description="…",
                    )
                    outcomes.append("ok")
                except ApplicationError as exc:
                    outcomes.append(str(exc))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with tenant_context(town):
            assert Proposal.objects.filter(component=component, author=author).count() == 2
        assert sorted(outcomes) == [
            "Vous avez déjà déposé 2 idées dans cet appel : c'est le maximum par personne.",
            "ok",
        ]
    finally:
        with tenant_context(town):
            Proposal.objects.filter(component=component).delete()
            component.space.delete()
            author.delete()


# Analysis and history


def test_the_analysis_flow_is_recorded_with_public_reasons(proposal, staff):
    services.proposal_assign(actor=staff, proposal=proposal, service="Services techniques")
    services.proposal_note(
        actor=staff, proposal=proposal, feasibility_note="Faisable.", cost_estimate="4500"
    )
    services.proposal_mark_ineligible(
        actor=staff, proposal=proposal, reason="Le parvis n'appartient pas à la commune."
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.INELIGIBLE
    assert proposal.assigned_service == "Services techniques"
    assert proposal.cost_estimate == Decimal("4500.00")
    assert proposal.ineligibility_reason == "Le parvis n'appartient pas à la commune."
    services.proposal_mark_eligible(
        actor=staff, proposal=proposal, reason="Après vérification, le parvis est communal."
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.ELIGIBLE
    assert proposal.ineligibility_reason == ""
    history = list(
        ProposalStatusChange.objects.filter(proposal=proposal).values_list(
            "from_status", "to_status", "reason"
        )
    )
    assert history == [
        ("", "submitted", ""),
        ("submitted", "under_analysis", ""),
        ("under_analysis", "ineligible", "Le parvis n'appartient pas à la commune."),
        ("ineligible", "eligible", "Après vérification, le parvis est communal."),
    ]


def test_ineligibility_needs_a_reason(proposal, staff):
    with pytest.raises(
        ApplicationError, match=re.escape("Explication : ce champ est obligatoire.")
    ):
        services.proposal_mark_ineligible(actor=staff, proposal=proposal, reason="  ")
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_impossible_transitions_are_refused(proposal, staff):
    with pytest.raises(ApplicationError, match="Une idée « Déposée » ne peut pas passer"):
        services.proposal_follow_up(actor=staff, proposal=proposal, status=Status.DONE)


def test_the_author_is_notified_of_each_status_change(
    proposal, staff, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_mark_ineligible(
            actor=staff, proposal=proposal, reason="Hors compétence communale."
        )
    assert [message.to for message in mail.outbox] == [[citizen.email]]
    message = mail.outbox[0]
    assert "non recevable" in message.subject
    assert "Hors compétence communale." in message.body
    assert f"/{proposal.pk}/" in message.body


def test_a_resident_who_switched_moderation_emails_off_gets_none(
    proposal, staff, citizen, django_capture_on_commit_callbacks
):
    citizen.profile.notify_moderation = False
    citizen.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_mark_eligible(actor=staff, proposal=proposal)
    assert mail.outbox == []


# Merging


def supports_of(proposal) -> list[int]:
    content_type = ContentType.objects.get_for_model(Proposal)
    return sorted(
        Support.objects.filter(content_type=content_type, object_id=proposal.pk).values_list(
            "user_id", flat=True
        )
    )


def test_merge_carries_supports_once_and_lists_co_authors(
    submit, citizen, staff, django_capture_on_commit_callbacks
):
    into = submit(citizen, title="Des arceaux à vélos")
    other_author = ParticipantFactory(display_name="Dominique")
    duplicate = submit(other_author, title="Garer les vélos")
    both, only_duplicate, only_into = (ParticipantFactory() for _ in range(3))
    for user in (both, only_duplicate):
        comment_services.support_toggle(user=user, item=duplicate, support=True)
    for user in (both, only_into):
        comment_services.support_toggle(user=user, item=into, support=True)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.proposal_merge(actor=staff, duplicate=duplicate, into=into)

    assert result == into
    assert supports_of(into) == sorted([both.pk, only_duplicate.pk, only_into.pk])
    assert supports_of(duplicate) == []
    assert list(into.co_authors.all()) == [other_author]
    duplicate.refresh_from_db()
    assert duplicate.merged_into == into
    assert duplicate.status == Status.SUBMITTED  # the status stays
    assert [p.pk for p in selectors.proposals(into.component)] == [into.pk]
    assert [message.to for message in mail.outbox] == [[other_author.email]]
    assert "fusionnée" in mail.outbox[0].subject


def test_a_merged_proposal_cannot_be_merged_again_nor_change_status(submit, citizen, staff):
    into, duplicate = submit(citizen, title="A"), submit(citizen, title="B")
    services.proposal_merge(actor=staff, duplicate=duplicate, into=into)
    with pytest.raises(ApplicationError, match="est déjà fusionnée"):
        services.proposal_merge(actor=staff, duplicate=duplicate, into=into)
    with pytest.raises(ApplicationError, match="a elle-même été fusionnée"):
        services.proposal_merge(actor=staff, duplicate=into, into=duplicate)
    with pytest.raises(ApplicationError, match="fusionnée avec une autre"):
        services.proposal_mark_eligible(actor=staff, proposal=duplicate)
    with pytest.raises(ApplicationError, match="elle-même"):
        services.proposal_merge(actor=staff, duplicate=into, into=into)


def test_the_author_merging_into_their_own_proposal_is_not_a_co_author(submit, citizen, staff):
    into, duplicate = submit(citizen, title="A"), submit(citizen, title="B")
    services.proposal_merge(actor=staff, duplicate=duplicate, into=into)
    assert not into.co_authors.exists()


# Counters


def test_counters_per_status(submit, citizen, staff, component):
    proposals = [submit(citizen, title=f"Idée {n}") for n in range(6)]
    services.proposal_assign(actor=staff, proposal=proposals[0], service="Voirie")
    services.proposal_mark_eligible(actor=staff, proposal=proposals[1])
    services.proposal_mark_eligible(actor=staff, proposal=proposals[2])
    services.proposal_mark_ineligible(actor=staff, proposal=proposals[3], reason="Non.")
    services.proposal_merge(actor=staff, duplicate=proposals[5], into=proposals[4])
    counts = selectors.status_counts(component)
    assert [(row.status, row.count, row.text) for row in counts] == [
        ("submitted", 1, "1 déposée"),
        ("under_analysis", 1, "1 en analyse"),
        ("eligible", 2, "2 recevables"),
        ("ineligible", 1, "1 non recevable"),
    ]
    statistics = ideas_statistics(component)
    assert statistics["proposals"] == 5
    assert statistics["status_eligible"] == 2


# The vote


def test_to_vote_turns_an_eligible_proposal_into_a_project(
    proposal, staff, budget, citizen, django_capture_on_commit_callbacks
):
    services.proposal_note(actor=staff, proposal=proposal, cost_estimate="4500")
    services.proposal_mark_eligible(actor=staff, proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        link = services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk)
    [project] = Project.objects.filter(budget=budget)
    assert project.title == proposal.title
    assert project.description == proposal.description
    assert project.cost == 4500
    assert (link.project_id, link.budget_id) == (project.pk, budget.pk)
    proposal.refresh_from_db()
    assert proposal.status == Status.PUT_TO_VOTE
    assert proposal.history.last().reason == "Soumise au vote : « Budget participatif 2027 »."
    assert "soumise au vote" in mail.outbox[-1].subject


def test_to_vote_uses_the_author_cost_without_the_services_estimate(submit, citizen, staff, budget):
    proposal = submit(citizen, estimated_cost="800")
    services.proposal_mark_eligible(actor=staff, proposal=proposal)
    services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk)
    assert Project.objects.get(budget=budget).cost == 800


def test_to_vote_refusals(proposal, staff, budget):
    with pytest.raises(ApplicationError, match="Seule une idée recevable"):
        services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk)
    services.proposal_mark_eligible(actor=staff, proposal=proposal)
    with pytest.raises(ApplicationError, match="Indiquez le coût estimé par les services"):
        services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk)
    with pytest.raises(ApplicationError, match="Ce budget participatif n'existe pas"):
        services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk + 1)
    assert not Project.objects.exists()
    assert not ProposalProject.objects.exists()


def test_to_vote_without_the_budgets_module(proposal, staff, monkeypatch):
    monkeypatch.setattr(budgets, "available", lambda: False)
    with pytest.raises(ApplicationError, match="budget participatif n'est pas disponible"):
        services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=1)


def test_follow_results_marks_selected_and_not_selected(
    submit, citizen, staff, budget, django_capture_on_commit_callbacks
):
    proposals = [submit(citizen, title=f"Projet {n}", estimated_cost="100") for n in range(3)]
    links = []
    for proposal in proposals:
        services.proposal_mark_eligible(actor=staff, proposal=proposal)
        links.append(services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk))
    ProposalProject.objects.filter(pk=links[2].pk).update(budget_id=budget.pk + 1)  # another

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.proposals_follow_results(
            budget_id=budget.pk, selected_project_ids=[links[0].project_id]
        )
    assert counts == {"selected": 1, "not_selected": 1}
    statuses = [Proposal.objects.get(pk=p.pk).status for p in proposals]
    assert statuses == [Status.SELECTED, Status.NOT_SELECTED, Status.PUT_TO_VOTE]
    assert "retenue" in mail.outbox[-1].subject
    # Published twice: nothing changes the second time.
    assert services.proposals_follow_results(budget_id=budget.pk, selected_project_ids=[]) == {
        "selected": 0,
        "not_selected": 0,
    }
    services.proposal_follow_up(actor=staff, proposal=proposals[0], status=Status.IN_PROGRESS)
    services.proposal_follow_up(
        actor=staff, proposal=proposals[0], status=Status.DONE, reason="Inauguré en juin."
    )
    assert Proposal.objects.get(pk=proposals[0].pk).status == Status.DONE


def test_to_vote_creates_a_budgets_project(proposal, budget, staff):
    services.proposal_note(actor=staff, proposal=proposal, cost_estimate="4500")
    services.proposal_mark_eligible(actor=staff, proposal=proposal)
    link = services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk)
    project = Project.objects.get(pk=link.project_id)
    assert project.budget_id == budget.pk
    assert project.title == proposal.title
    assert project.cost == 4500
    assert project.proposal_id == proposal.pk
    proposal.refresh_from_db()
    assert proposal.status == Status.PUT_TO_VOTE
    # The budgets module's signal once the results are published (its receiver is wired).
    budget_services.on_results_published(budget, [project.pk])
    proposal.refresh_from_db()
    assert proposal.status == Status.SELECTED


def test_a_located_idea_makes_a_located_project(submit, citizen, staff, budget):
    proposal = submit(citizen, estimated_cost="900", latitude="48.7715", longitude="2.0335")
    services.proposal_mark_eligible(actor=staff, proposal=proposal)
    link = services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk)
    project = Project.objects.get(pk=link.project_id)
    assert (str(project.latitude), str(project.longitude)) == ("48.771500", "2.033500")


def test_a_project_cost_in_whole_euros_is_rounded_up(submit, citizen, staff, budget):
    proposal = submit(citizen, estimated_cost="1234.56")
    services.proposal_mark_eligible(actor=staff, proposal=proposal)
    link = services.proposal_to_vote(actor=staff, proposal=proposal, budget_id=budget.pk)
    assert Project.objects.get(pk=link.project_id).cost == 1235
