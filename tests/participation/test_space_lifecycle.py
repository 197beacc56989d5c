"""A space archived (public, read-only) or deleted (with its data, after typing its title); a
component removed (hidden, its URLs 404, its data kept) and restored by the vendor's staff."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from console.models import AuditEntry as ConsoleAuditEntry
from core.errors import Invalid, NotAllowed
from participation import lifecycle
from participation.budgets import services as budget_services
from participation.budgets.models import Budget, Project
from participation.comments import services as comment_services
from participation.comments.models import Comment
from participation.ideas import services as idea_services
from participation.ideas.models import Proposal
from participation.models import (
    Component,
    Image,
    PendingSecretBallot,
    Phase,
    SecretBallot,
    SecretBallotVoter,
    Space,
)
from participation.news.models import NewsPost
from participation.polls import services as poll_services
from participation.polls.models import Poll
from participation.questions import services as question_services
from participation.surveys import services as survey_services
from participation.surveys.models import Question as SurveyQuestion
from participation.team.models import AuditEntry
from tests.accounts.helpers import page_text
from tests.participation.conftest import logged_in
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ModeratorFactory,
    ParticipantFactory,
    SpaceFactory,
)
from tests.participation.phases_support import running_phase_then

ARCHIVED = "Cet espace est archivé"


@pytest.fixture
def admin(in_town_a):
    return AdminFactory()


@pytest.fixture
def citizen(in_town_a):
    return ParticipantFactory()


@pytest.fixture
def space(in_town_a):
    return SpaceFactory(title="Quartier des Arènes")


def _component(space, key, phase, then):
    component = ComponentFactory(space=space, type_key=key, title=f"Module {key}")
    running_phase_then(component, kind=phase, then=then)
    return component


@pytest.fixture
def world(space, admin):
    """One component of each kind of write, each in a phase that takes it."""
    news = _component(space, "news", "publication", "publication")
    post = NewsPost.objects.create(
        component=news, title="Travaux", body="Lundi.", published_at=timezone.now()
    )
    budgets = _component(space, "budgets", "vote", "results")
    budget = budget_services.budget_create(
        actor=admin,
        component=budgets,
        title="Arènes",
        amount=1000,
        ballot_rule=Budget.BallotRule.APPROVAL,
        min_projects=1,
        max_projects=1,
    )
    project = Project.objects.create(budget=budget, title="Un banc", cost=500, position=0)
    surveys = _component(space, "surveys", "answer", "results")
    survey = survey_services.survey_create(actor=admin, component=surveys, title="Vos trajets")
    section = survey_services.section_add(actor=admin, survey=survey, title="Trajets")
    question = survey_services.question_add(
        actor=admin, section=section, kind=SurveyQuestion.Kind.SHORT_TEXT, label="Comment ?"
    )
    polls = _component(space, "polls", "answer", "results")
    poll = poll_services.poll_create(
        actor=admin,
        component=polls,
        question="Un banc ?",
        kind=Poll.Kind.SINGLE,
        choices=["Oui", "Non"],
    )
    return {
        "ideas": _component(space, "ideas", "collect", "analysis"),
        "questions": _component(space, "questions", "questions", "answers"),
        "post": post,
        "budget": budget,
        "project": project,
        "survey": survey,
        "survey_question": question,
        "poll": poll,
    }


def _writes(world, citizen):
    """Each kind of write a resident makes in a space, as the services take it."""
    return {
        "idea": lambda: idea_services.proposal_submit(
            author=citizen, component=world["ideas"], title="Des arbres", description="Ombre."
        ),
        "question": lambda: question_services.question_ask(
            author=citizen, component=world["questions"], title="L'éclairage", body="Éteint."
        ),
        "comment": lambda: comment_services.comment_add(
            author=citizen, item=world["post"], body="Bravo"
        ),
        "support": lambda: comment_services.support_toggle(user=citizen, item=world["post"]),
        "vote": lambda: budget_services.ballot_cast(
            voter=citizen,
            budget=world["budget"],
            choices=[world["project"].pk],
        ),
        "poll answer": lambda: poll_services.poll_answer(
            user=citizen, poll=world["poll"], choice_ids=[world["poll"].choices.first().pk]
        ),
        "survey answer": lambda: survey_services.survey_submit(
            user=citizen,
            survey=world["survey"],
            answers={world["survey_question"].pk: "À pied"},
        ),
    }


WRITES = ("idea", "question", "comment", "support", "vote", "poll answer", "survey answer")


# Archive


@pytest.mark.parametrize("write", WRITES)
def test_an_archived_space_refuses_each_kind_of_write_with_the_reason(
    world, space, admin, citizen, write
):
    lifecycle.space_archive(actor=admin, space=space)
    with pytest.raises(NotAllowed, match=ARCHIVED):
        _writes(world, citizen)[write]()


@pytest.mark.parametrize("write", WRITES)
def test_the_same_writes_pass_once_unarchived(world, space, admin, citizen, write):
    lifecycle.space_archive(actor=admin, space=space)
    lifecycle.space_unarchive(actor=admin, space=space)
    _writes(world, citizen)[write]()


def test_an_archived_space_still_serves_its_pages_marked_archived(world, space, admin, town_a):
    lifecycle.space_archive(actor=admin, space=space)
    client = logged_in(town_a)
    page = client.get(reverse("participation:space", args=[space.slug]))
    assert page.status_code == 200
    assert "Archivé" in page_text(page)
    ideas = client.get(reverse("ideas:detail", args=[space.slug, world["ideas"].pk]))
    assert ideas.status_code == 200
    assert "Archivé" in page_text(ideas)


def test_an_archived_space_refuses_a_vote_posted_by_hand(world, space, admin, citizen, town_a):
    lifecycle.space_archive(actor=admin, space=space)
    response = logged_in(town_a, citizen).post(
        reverse("ideas:submit", args=[space.slug, world["ideas"].pk]),
        {"title": "Des arbres", "description": "De l'ombre."},
        follow=True,
    )
    assert ARCHIVED in page_text(response)
    with tenant_context(town_a):
        assert not Proposal.objects.exists()


def test_only_admins_archive(space, in_town_a):
    with pytest.raises(NotAllowed):
        lifecycle.space_archive(actor=ModeratorFactory(), space=space)
    space.refresh_from_db()
    assert not space.is_archived


def test_the_archive_button_archives_and_unarchives(space, admin, town_a):
    client = logged_in(town_a, admin)
    url = reverse("backoffice:space_archive", args=[space.slug])
    assert "Espace archivé" in page_text(client.post(url, {"archive": "1"}, follow=True))
    with tenant_context(town_a):
        assert Space.objects.get(pk=space.pk).is_archived
    client.post(url, {"archive": "0"})
    with tenant_context(town_a):
        assert not Space.objects.get(pk=space.pk).is_archived


# Delete


def test_deleting_needs_the_exact_title_and_keeps_everything_otherwise(world, space, admin):
    for typed in ("", "Quartier des arènes", "Autre"):
        with pytest.raises(Invalid, match="tapez exactement son titre"):
            lifecycle.space_delete(actor=admin, space=space, confirmation=typed)
    assert Space.objects.filter(pk=space.pk).exists()
    assert Component.all_objects.filter(space=space).count() == 6


def test_deleting_removes_the_space_and_its_data_even_removed_components(world, space, admin):
    lifecycle.component_remove(actor=admin, component=world["ideas"])
    deleted = lifecycle.space_delete(
        actor=admin, space=space, confirmation="  Quartier  des Arènes "
    )
    assert not Space.objects.filter(pk=space.pk).exists()
    assert not Component.all_objects.filter(space_id=space.pk).exists()
    assert not Phase.objects.exists()
    assert not NewsPost.objects.exists()
    assert not Budget.objects.exists()
    assert not Poll.objects.exists()
    assert deleted["participation.Space"] == 1
    assert deleted["participation.Component"] == 6


def test_deleting_a_space_deletes_its_secret_ballot_boxes(world, space, admin, citizen):
    """The boxes hold no key to their component: the modules name them (``secret_boxes``)."""
    budget = world["budget"]
    Budget.objects.filter(pk=budget.pk).update(secret_ballot=True)
    budget.refresh_from_db()
    budget_services.ballot_cast(voter=citizen, budget=budget, choices=[world["project"].pk])
    other_space = SpaceFactory(title="Ailleurs")
    elsewhere = _component(other_space, "budgets", "vote", "results")
    kept = budget_services.budget_create(
        actor=admin, component=elsewhere, title="Ailleurs", amount=1000, secret_ballot=True
    )
    Project.objects.create(budget=kept, title="Un arbre", cost=500, position=0)
    budget_services.ballot_cast(voter=citizen, budget=kept, choices=[kept.projects.get().pk])
    kept_box = f"budgets:{kept.pk}"
    boxes = {f"budgets:{budget.pk}", kept_box}
    stored = {
        model: set(model.objects.filter(box__in=boxes).values_list("box", flat=True))
        for model in (SecretBallotVoter, PendingSecretBallot)
    }
    assert all(found == boxes for found in stored.values())

    lifecycle.space_delete(actor=admin, space=space, confirmation="Quartier des Arènes")

    for model in (SecretBallotVoter, PendingSecretBallot, SecretBallot):
        assert set(model.objects.filter(box__in=boxes).values_list("box", flat=True)) <= {kept_box}
    assert SecretBallotVoter.objects.filter(box=kept_box).count() == 1


def test_only_admins_delete(space, in_town_a):
    with pytest.raises(NotAllowed):
        lifecycle.space_delete(actor=ModeratorFactory(), space=space, confirmation=space.title)
    assert Space.objects.filter(pk=space.pk).exists()


def test_the_delete_page_confirms_deletes_and_writes_the_audit_log(world, space, admin, town_a):
    client = logged_in(town_a, admin)
    url = reverse("backoffice:space_delete", args=[space.slug])
    assert "Tapez le titre de l'espace" in page_text(client.get(url))
    refused = client.post(url, {"confirmation": "Quartier"})
    assert refused.status_code == 400
    assert "tapez exactement son titre" in page_text(refused)
    with tenant_context(town_a):
        assert Space.objects.filter(pk=space.pk).exists()
    done = client.post(url, {"confirmation": "Quartier des Arènes"})
    assert done.status_code == 302
    with tenant_context(town_a):
        assert not Space.objects.filter(pk=space.pk).exists()
        entry = AuditEntry.objects.filter(action="backoffice:space_delete").latest("pk")
    assert entry.actor == admin
    assert entry.details["title"] == "Quartier des Arènes"
    assert entry.details["deleted"]["participation.Component"] == 6
    assert entry.status_code == 302


def test_a_moderator_gets_no_delete_page(space, town_a, in_town_a):
    client = logged_in(town_a, ModeratorFactory())
    url = reverse("backoffice:space_delete", args=[space.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirmation": space.title}).status_code == 403
    with tenant_context(town_a):
        assert Space.objects.filter(pk=space.pk).exists()


# Components removed and restored


def _component_urls(component) -> list[str]:
    """Its page, its API and its back office."""
    args = [component.space.slug, component.pk]
    return [
        reverse("ideas:detail", args=args),
        reverse("ideas:submit", args=args),
        reverse("ideas_api:proposals", args=args),
        reverse("ideas_admin:index", args=args),
    ]


def test_a_removed_component_disappears_its_urls_404_and_the_restore_brings_it_back(
    world, space, admin, citizen, town_a
):
    ideas = world["ideas"]
    proposal = idea_services.proposal_submit(
        author=citizen, component=ideas, title="Des arbres", description="De l'ombre."
    )
    client = logged_in(town_a, admin)
    assert all(client.get(url).status_code == 200 for url in _component_urls(ideas))

    lifecycle.component_remove(actor=admin, component=ideas)
    assert [client.get(url).status_code for url in _component_urls(ideas)] == [404] * 4
    space_page = page_text(client.get(reverse("participation:space", args=[space.slug])))
    assert ideas.title not in space_page
    assert "Module news" in space_page
    assert ideas.title not in page_text(client.get(reverse("backoffice:space", args=[space.slug])))
    assert Proposal.objects.filter(pk=proposal.pk).exists()  # its data is kept
    with pytest.raises(NotAllowed, match="pas disponible"):  # nothing written through it
        comment_services.comment_add(author=citizen, item=proposal, body="Oui")

    out = io.StringIO()
    call_command("component_restore", town_a.slug, stdout=out)
    assert f"{ideas.pk}" in out.getvalue()  # the list of removed components
    call_command("component_restore", town_a.slug, str(ideas.pk), stdout=io.StringIO())
    assert all(client.get(url).status_code == 200 for url in _component_urls(ideas))
    assert "Des arbres" in page_text(client.get(_component_urls(ideas)[0]))
    entry = ConsoleAuditEntry.objects.get(action="town.component_restored")
    assert entry.details["component"] == ideas.pk


def test_restoring_a_component_that_is_not_removed_is_refused(world, town_a):
    with pytest.raises(CommandError, match="Aucun module retiré"):
        call_command("component_restore", town_a.slug, str(world["ideas"].pk))


def test_the_remove_page_confirms_then_removes(world, space, admin, town_a):
    client = logged_in(town_a, admin)
    url = reverse("backoffice:component_remove", args=[space.slug, world["ideas"].pk])
    assert "Ses contenus et les contributions des habitants sont conservés" in page_text(
        client.get(url)
    )
    with tenant_context(town_a):
        assert Component.objects.filter(pk=world["ideas"].pk).exists()  # a GET changes nothing
    assert client.post(url).status_code == 302
    with tenant_context(town_a):
        assert not Component.objects.filter(pk=world["ideas"].pk).exists()
        assert Component.all_objects.get(pk=world["ideas"].pk).removed_at is not None
        entry = AuditEntry.objects.filter(action="backoffice:component_remove").latest("pk")
    assert entry.details["module"] == "ideas"


def test_only_admins_remove_components(world, space, town_a, in_town_a):
    with pytest.raises(NotAllowed):
        lifecycle.component_remove(actor=ModeratorFactory(), component=world["ideas"])
    client = logged_in(town_a, ModeratorFactory())
    url = reverse("backoffice:component_remove", args=[space.slug, world["ideas"].pk])
    assert client.post(url).status_code == 403
    with tenant_context(town_a):
        assert Component.objects.filter(pk=world["ideas"].pk).exists()


def test_comments_of_a_removed_component_stay_in_the_database(world, admin, citizen):
    comment_services.comment_add(author=citizen, item=world["post"], body="Bravo")
    news = world["post"].component
    lifecycle.component_remove(actor=admin, component=news)
    assert Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(NewsPost), object_id=world["post"].pk
    ).exists()


def test_deleting_a_space_deletes_the_pictures_only_it_used(
    world, space, admin, media_root, django_capture_on_commit_callbacks
):
    from participation.images import image_store
    from tests.conftest import stored_files
    from tests.participation.test_images import photo

    space.image = image_store(upload=photo(), alt="La place")
    space.save(update_fields=["image"])
    project = world["project"]
    project.image = image_store(upload=photo(name="arbre.jpg"), alt="Un arbre")
    project.save(update_fields=["image"])
    elsewhere = SpaceFactory(title="Ailleurs")
    elsewhere.image = image_store(upload=photo(name="ailleurs.jpg"), alt="Ailleurs")
    elsewhere.save(update_fields=["image"])
    schema = connection.schema_name
    assert len(stored_files(media_root, schema)) == 9  # three renditions each

    with django_capture_on_commit_callbacks(execute=True):
        deleted = lifecycle.space_delete(actor=admin, space=space, confirmation=space.title)

    assert deleted["participation.Image"] == 2
    assert list(Image.objects.values_list("alt", flat=True)) == ["Ailleurs"]
    remaining = stored_files(media_root, schema)
    assert len(remaining) == 3
    assert all(elsewhere.image.key in str(path) for path in remaining)
