"""The budget a ballot is cast against comes from the cache (``page_cache``) once read: a
vote costs no query for it, and every write of what the cache holds reaches the next vote."""

import datetime
import pickle

import pytest
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone
from django_tenants.utils import tenant_context

from participation.budgets import page_cache, selectors
from participation.budgets.models import Budget, Project
from tests.conftest import client_for
from tests.factories import api_key_for
from tests.participation.budgets.conftest import ids, url
from tests.participation.factories import ComponentFactory, ParticipantFactory


def vote(budget, town, project_ids, key=None):
    key = key or api_key_for(ParticipantFactory())
    return client_for(town).post(
        url(budget, "budgets_api:ballot"),
        {"choices": [{"project": pk} for pk in project_ids]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )


def page(budget, user):
    component = budget.component
    return selectors.budget_for_page(
        space_slug=component.space.slug,
        component_id=component.pk,
        budget_id=budget.pk,
        user=user,
    )


def test_a_vote_reads_the_budget_from_the_cache(budget, town_a, django_assert_num_queries):
    first, second = ids(budget)[:2]
    assert vote(budget, town_a, [first]).status_code == 201
    key = api_key_for(ParticipantFactory())
    # Middleware (search_path x2, domain), the token with user and profile, the ballot with
    # its choices: nothing for the budget, its component, space, phases and projects.
    with django_assert_num_queries(5):
        response = vote(budget, town_a, [second], key)
    assert response.status_code == 201


def close_the_vote(budget, vote_phase):
    vote_phase.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    vote_phase.save()


def unpublish_the_space(budget, vote_phase):
    space = budget.component.space
    space.status = "draft"
    space.save()


def allow_one_project(budget, vote_phase):
    budget.max_projects = 1
    budget.save()


def withdraw_a_project(budget, vote_phase):
    Project.objects.get(pk=ids(budget)[1]).delete()


@pytest.mark.parametrize(
    ("change", "status", "detail"),
    [
        (close_the_vote, 403, "Le vote est clos depuis le"),
        (unpublish_the_space, 404, None),
        (allow_one_project, 400, "Vous pouvez choisir 1 projets au plus (2 choisis)."),
        (withdraw_a_project, 400, "Le projet n° {withdrawn} ne fait pas partie de ce budget."),
    ],
    ids=["vote-closed", "space-unpublished", "rules-changed", "project-withdrawn"],
)
def test_a_change_reaches_the_next_vote(budget, vote_phase, town_a, change, status, detail):
    chosen = ids(budget)[:2]
    assert vote(budget, town_a, chosen).status_code == 201  # the budget is in the cache
    change(budget, vote_phase)
    response = vote(budget, town_a, chosen)
    assert response.status_code == status
    if detail:
        assert response.json()["detail"].startswith(detail.format(withdrawn=chosen[1]))


def test_what_was_read_before_a_commit_is_read_again_after_it(
    budget, django_capture_on_commit_callbacks
):
    """A request reading the database between a write and its commit caches what it saw
    under the generation the write drew: the commit draws another one."""
    user = ParticipantFactory()
    before = page(budget, user)
    with django_capture_on_commit_callbacks(execute=True):
        budget.max_projects = 1
        budget.save()
        # As another connection would, before the commit: the former rules.
        assert page_cache.cached_budget(budget.pk, lambda: before).max_projects == 3
        assert page(budget, user).max_projects == 3
    assert page(budget, user).max_projects == 1


def test_a_lost_generation_reads_the_database_again(budget):
    user = ParticipantFactory()
    assert page(budget, user).max_projects == 3
    # A write without signal, and the cache's generation evicted (or the cache flushed).
    Budget.objects.filter(pk=budget.pk).update(max_projects=2)
    cache.delete(page_cache.GENERATION_KEY)
    assert page(budget, user).max_projects == 2


def test_each_town_has_its_own_cached_budgets(budget, town_b):
    user = ParticipantFactory()
    assert page(budget, user).title == "Capitole"
    with tenant_context(town_b):
        other = Budget.objects.create(
            pk=budget.pk,  # the same id as town A's, in town B's table
            component=ComponentFactory(type_key="budgets"),
            title="Budget de la ville B",
            amount=1000,
        )
        other_user = ParticipantFactory()
        assert page(other, other_user).title == "Budget de la ville B"
        with pytest.raises(Http404):  # town A's URL on town B's host
            page(budget, other_user)
    assert page(budget, user).title == "Capitole"


def test_a_vote_costs_the_same_whatever_the_number_of_projects(
    budget, town_a, django_assert_num_queries
):
    """The cached budget holds no project and the answer names only the ballot's: a vote
    in a budget of 505 projects costs the same statements, cache entry and answer as in one
    of 5 (the projects it names are checked by its INSERT, by their keys)."""
    first, second = ids(budget)[:2]

    def entry_size() -> int:
        return len(pickle.dumps(cache.get(page_cache.BUDGETS.entry_key(budget.pk))))

    assert vote(budget, town_a, [first]).status_code == 201  # the budget is in the cache
    small = vote(budget, town_a, [first, second])
    small_entry = entry_size()
    Project.objects.bulk_create(
        Project(budget=budget, title=f"Projet {n}", description="Un projet. " * 40, cost=1000)
        for n in range(500)
    )
    page_cache.forget_budgets()
    assert vote(budget, town_a, [first]).status_code == 201
    key = api_key_for(ParticipantFactory())
    with django_assert_num_queries(5):
        large = vote(budget, town_a, [first, second], key)
    assert large.status_code == small.status_code == 201
    assert len(large.content) == len(small.content)
    assert entry_size() == small_entry
