"""The registry's hooks: a module's digest section, the one module taking proposals to its
votes, and the demo town filled module by module."""

import datetime

import pytest
from django.utils import timezone

from participation import demo
from participation.comments.models import Comment
from participation.hooks import DigestItem, DigestSection, VoteReceiver
from participation.ideas import budgets as ideas_votes
from participation.models import Component, Space, SpaceFollow
from participation.notifications.selectors import digest_content
from participation.registry import ComponentRegistry, ComponentType, DataSource, registry
from tests.participation.factories import AdminFactory, ParticipantFactory, SpaceFactory


def _receiver() -> VoteReceiver:
    return VoteReceiver(votes=list, vote_get=lambda pk: None, item_add=lambda **kwargs: 0)


def test_only_one_component_type_may_take_proposals_to_its_votes():
    local = ComponentRegistry()
    local.register(ComponentType("first", "First", "", vote_receiver=_receiver()))
    local.register(ComponentType("plain", "Plain", ""))
    assert local.vote_receiver() is local.get("first").vote_receiver

    with pytest.raises(ValueError, match="only one component type"):
        local.register(ComponentType("second", "Second", "", vote_receiver=_receiver()))
    assert "second" not in local


def test_the_budgets_module_takes_the_ideas_proposals_through_the_registry(in_town_a):
    from participation.budgets.models import Budget
    from tests.participation.factories import ComponentFactory

    component = ComponentFactory(type_key="budgets")
    open_budget = Budget.objects.create(component=component, title="Quartier Nord", amount=10_000)
    Budget.objects.create(
        component=component,
        title="Clos",
        amount=5_000,
        results_published_at=timezone.now(),
        position=1,
    )

    assert ideas_votes.available()
    assert [(vote.pk, str(vote)) for vote in ideas_votes.budgets_open()] == [
        (open_budget.pk, "Quartier Nord")
    ]
    assert ideas_votes.budget_get(open_budget.pk).results_published is False
    assert ideas_votes.budget_get(open_budget.pk + 1000) is None


def test_without_a_module_taking_proposals_the_ideas_have_no_vote(monkeypatch):
    monkeypatch.setattr(registry, "vote_receiver", lambda: None)

    assert not ideas_votes.available()
    assert ideas_votes.budgets_open() == []
    assert ideas_votes.budget_get(1) is None


def test_a_data_source_adds_its_section_to_the_digest(in_town_a, monkeypatch):
    space = SpaceFactory(title="Place du marché")
    resident = ParticipantFactory()
    SpaceFollow.objects.create(user=resident, space=space)
    now = timezone.now()
    seen = []

    def extra(user, spaces, since, until):
        seen.append((user, list(spaces), since, until))
        return DigestSection("extra", "En plus", [DigestItem("Un point", space.title, "/", now)])

    def silent(user, spaces, since, until):
        return None

    monkeypatch.setitem(registry._sources, "extra", DataSource("extra", digest_section=extra))
    monkeypatch.setitem(registry._sources, "silent", DataSource("silent", digest_section=silent))
    since = now - datetime.timedelta(days=7)

    sections = digest_content(resident, since=since, until=now)

    assert [section.key for section in sections] == ["extra"]
    assert seen == [(resident, [space], since, now)]


def test_the_demo_places_each_module_that_asks_for_it_and_lets_it_seed(in_town_a):
    admin = AdminFactory()
    residents = [ParticipantFactory(), ParticipantFactory()]

    demo.demo_content_seed(admin=admin, residents=residents)

    placed = [ct for ct in registry if ct.demo is not None]
    assert {ct.key for ct in placed} >= {"news", "documents", "polls", "surveys"}
    for ct in placed:
        component = Component.objects.get(type_key=ct.key)
        assert component.space.kind == ct.demo.space_kind
        assert component.space.status == Space.Status.PUBLISHED
        assert component.title == ct.demo.title
        assert [phase.kind for phase in component.phases.all()] == [ct.demo.phase]
    assert not Component.objects.exclude(type_key__in=[ct.key for ct in placed]).exists()
    # The news module's seed makes the residents talk and the town answer.
    assert Comment.objects.filter(author=residents[0], parent__isnull=True).count() == 1
    assert Comment.objects.get(is_official=True).author == admin
    # Seeded once: a town with spaces is left as it is.
    demo.demo_content_seed(admin=admin, residents=residents)
    assert Component.objects.count() == len(placed)
