"""A town's admin switches its plan's modules on and off: a module switched off disappears
from the site and every one of its URLs (pages, back office, API) answers 404; its data is
kept and comes back when it is switched on; a module outside the plan cannot be switched on."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from billing.models import Plan
from core.errors import Invalid, NotAllowed
from participation import modules
from participation.home import blocks
from participation.ideas.models import Proposal
from participation.models import Component
from participation.news.models import NewsPost
from participation.registry import registry
from participation.urls import ComponentResolver
from tenants.models import Tenant
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

URLCONF = "config.urls_town"
CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _leaves(patterns, prefix: str):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _leaves(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _component_resolvers(patterns, prefix: str):
    """Every module's mount, whatever include holds it, with the prefix before it."""
    for entry in patterns:
        if isinstance(entry, ComponentResolver):
            yield entry, prefix
        elif isinstance(entry, URLResolver):
            yield from _component_resolvers(entry.url_patterns, prefix + str(entry.pattern))


def module_paths(component: Component) -> list[str]:
    """Every URL the module's URL confs (pages, back office, API) mount under this component,
    read from the URL conf itself (a URL added later is in the list), other ids made up."""

    def fill(match: re.Match) -> str:
        name, converter = match["name"], match["converter"] or "str"
        if name == "space_slug":
            return component.space.slug
        if name == "component_id":
            return str(component.pk)
        return "999999" if converter == "int" else "x"

    routes = [
        route
        for entry, prefix in _component_resolvers(get_resolver(URLCONF).url_patterns, "")
        if entry.type_key == component.type_key
        for route in _leaves(entry.url_patterns, prefix + str(entry.pattern))
    ]
    return ["/" + CONVERTER.sub(fill, route) for route in routes]


def fresh(town: Tenant) -> Tenant:
    """The town as its row says now (the fixture's object is not the one switched)."""
    return Tenant.objects.get(pk=town.pk)


@pytest.fixture
def admin(in_town_a):
    return AdminFactory()


@pytest.fixture
def space(in_town_a):
    return SpaceFactory(title="Centre-ville")


def _switch(admin, key: str, on: bool) -> None:
    modules.town_module_switch(actor=admin, key=key, on=on)


@pytest.mark.parametrize("key", [ct.key for ct in registry])
def test_every_url_of_a_module_switched_off_answers_404_and_comes_back(key, admin, space, town_a):
    component = ComponentFactory(space=space, type_key=key)
    paths = module_paths(component)
    assert paths, f"{key} n'a aucune adresse"
    client = logged_in(town_a, admin)

    _switch(admin, key, on=False)
    answered = {path: client.get(path).status_code for path in paths}
    assert answered == dict.fromkeys(paths, 404)
    with tenant_context(fresh(town_a)):
        assert all(_guard_refuses(path) for path in paths)

    _switch(admin, key, on=True)
    with tenant_context(fresh(town_a)):
        assert not any(_guard_refuses(path) for path in paths)  # the guard let them through
    if component.type.urls:  # its main page serves again
        detail = reverse(f"{key}:detail", args=[space.slug, component.pk])
        assert client.get(detail).status_code == 200


def _guard_refuses(path: str) -> bool:
    try:
        resolve(path, URLCONF)
    except Resolver404:
        return True
    return False


def test_a_module_switched_off_disappears_and_comes_back_with_its_data(admin, space, town_a):
    news = ComponentFactory(space=space, type_key="news", title="Les nouvelles du centre")
    running_phase_then(news, kind="publication", then="publication")
    NewsPost.objects.create(
        component=news, title="Marché de Noël", body="Samedi.", published_at=timezone.now()
    )
    ideas = ComponentFactory(space=space, type_key="ideas", title="Vos idées")
    running_phase_then(ideas, kind="collect", then="analysis")
    Proposal.objects.create(
        component=ideas, author=ParticipantFactory(), title="Un kiosque", description="À lire."
    )
    client = logged_in(town_a)
    news_page = reverse("news:detail", args=[space.slug, news.pk])
    ideas_api = reverse("ideas_api:proposals", args=[space.slug, ideas.pk])
    space_page = reverse("participation:space", args=[space.slug])

    _switch(admin, "news", on=False)
    _switch(admin, "ideas", on=False)
    assert client.get(news_page).status_code == 404
    assert client.get(ideas_api).status_code == 404
    shown = page_text(client.get(space_page))
    assert "Les nouvelles du centre" not in shown
    assert "Vos idées" not in shown
    with tenant_context(fresh(town_a)):
        assert "news" not in block_kinds_keys()  # the home page's latest-news block
        assert "ideas" not in {figure.key for figure in blocks.key_figures()}
        assert not Component.objects.filter(type_key__in=["news", "ideas"]).exists()
        # The data is all there.
        assert NewsPost.objects.filter(title="Marché de Noël").exists()
        assert Proposal.objects.filter(title="Un kiosque").exists()

    _switch(admin, "news", on=True)
    _switch(admin, "ideas", on=True)
    assert "Marché de Noël" in page_text(client.get(news_page))
    assert "Un kiosque" in page_text(client.get(ideas_api))
    assert "Les nouvelles du centre" in page_text(client.get(space_page))
    with tenant_context(fresh(town_a)):
        assert "news" in block_kinds_keys()


def block_kinds_keys() -> set[str]:
    return {kind.key for kind in blocks.block_kinds()}


def test_a_module_switched_off_cannot_be_added_to_a_space(admin, space):
    _switch(admin, "polls", on=False)
    from participation import services

    with pytest.raises(Invalid, match="n'est pas activé"):
        services.component_add(actor=admin, space=space, type_key="polls", title="Sondage")


@pytest.fixture
def essential_plan(town_a, in_town_a):
    plan = Plan.objects.create(
        code="essentielle",
        name="Essentielle",
        annual_price_cents=120_000,
        included_modules=["news", "ideas"],
    )
    Tenant.objects.filter(pk=town_a.pk).update(plan=plan.code, enabled_modules=["news"])
    connection.tenant.plan, connection.tenant.enabled_modules = plan.code, ["news"]
    return plan


def test_only_the_plans_modules_may_be_switched_on(admin, essential_plan, town_a):
    with pytest.raises(Invalid, match="ne fait pas partie de votre formule « Essentielle »"):
        _switch(admin, "budgets", on=True)
    assert Tenant.objects.get(pk=town_a.pk).enabled_modules == ["news"]
    _switch(admin, "ideas", on=True)
    assert Tenant.objects.get(pk=town_a.pk).enabled_modules == ["ideas", "news"]
    _switch(admin, "news", on=False)
    _switch(admin, "ideas", on=False)
    assert Tenant.objects.get(pk=town_a.pk).enabled_modules == []  # none: not "all"
    assert not registry.is_on("news")


def test_the_modules_page_lists_the_plan_and_refuses_the_rest(admin, essential_plan, town_a):
    client = logged_in(town_a, admin)
    page = page_text(client.get(reverse("backoffice:modules")))
    assert "Activer « Appel à idées »" in page
    assert "Désactiver « Actualités »" in page
    assert "Budget participatif" not in page  # outside the plan: not offered
    refused = client.post(reverse("backoffice:modules"), {"key": "budgets", "on": "1"}, follow=True)
    assert "ne fait pas partie de votre formule" in page_text(refused)
    assert Tenant.objects.get(pk=town_a.pk).enabled_modules == ["news"]
    done = client.post(reverse("backoffice:modules"), {"key": "news", "on": "0"}, follow=True)
    assert "ses données sont conservées" in page_text(done)
    assert Tenant.objects.get(pk=town_a.pk).enabled_modules == []


def test_a_module_on_outside_the_plan_may_be_switched_off_not_on_again(
    admin, essential_plan, town_a
):
    Tenant.objects.filter(pk=town_a.pk).update(enabled_modules=["news", "polls"])
    connection.tenant.enabled_modules = ["news", "polls"]
    listed = {module.key: module for module in modules.town_modules()}
    assert listed["polls"].on and not listed["polls"].in_plan
    assert not listed["ideas"].on and listed["ideas"].in_plan
    assert "budgets" not in listed
    _switch(admin, "polls", on=False)
    with pytest.raises(Invalid, match="formule"):
        _switch(admin, "polls", on=True)


def test_unknown_modules_are_refused(admin):
    with pytest.raises(Invalid, match="Module inconnu"):
        _switch(admin, "teleportation", on=True)


def test_only_the_towns_admins_switch_modules(town_a, in_town_a):
    moderator = ModeratorFactory()
    with pytest.raises(NotAllowed):
        _switch(moderator, "news", on=False)
    client = logged_in(town_a, moderator)
    assert client.get(reverse("backoffice:modules")).status_code == 403
    assert client.post(reverse("backoffice:modules"), {"key": "news", "on": "0"}).status_code == 403
    assert Tenant.objects.get(pk=town_a.pk).enabled_modules is None
