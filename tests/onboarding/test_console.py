"""The demo seed: the console's demo towns, their accounts and their content."""

from __future__ import annotations

import html
from decimal import Decimal

from django.contrib.auth import authenticate
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from onboarding.demo import DEMO_TOWNS, VENDOR_STAFF, demo_seed
from participation.budgets.models import Budget, Project
from participation.comments.models import Comment
from participation.documents.models import Document
from participation.ideas.models import Proposal
from participation.models import Component, HomeBlock, Neighbourhood, Space
from participation.news.models import NewsPost
from participation.polls.models import Poll
from participation.registry import registry
from participation.surveys.models import Survey
from tenants.models import Tenant
from tests.conftest import client_for


def _demo_accounts() -> dict[str, list[tuple[str, str]]]:
    found = {}
    with schema_context(get_public_schema_name()):
        found["public"] = sorted(User.objects.values_list("email", "role"))
    for demo in DEMO_TOWNS:
        with tenant_context(Tenant.objects.get(slug=demo.slug)):
            found[demo.slug] = sorted(User.objects.values_list("email", "role"))
    return found


def test_demo_seed_is_idempotent_and_prints_every_url_and_login(platform):
    first = demo_seed()
    tenants_after_first = sorted(Tenant.objects.values_list("slug", "schema_name"))
    accounts_after_first = _demo_accounts()

    second = demo_seed()

    assert second == first
    assert sorted(Tenant.objects.values_list("slug", "schema_name")) == tenants_after_first
    assert _demo_accounts() == accounts_after_first

    text = "\n".join(first)
    email, password, _name = VENDOR_STAFF
    assert "http://localhost/" in text
    assert f"{email} / {password}" in text
    assert (email, User.Role.VENDOR_STAFF) in accounts_after_first["public"]
    for demo in DEMO_TOWNS:
        tenant = Tenant.objects.get(slug=demo.slug)
        assert tenant.status == Tenant.Status.ACTIVE
        assert tenant.name == demo.name
        assert f"http://{demo.slug}.localhost/" in text
        assert f"{demo.admin_email} / {demo.admin_password}" in text
        assert f"{demo.citizen_email} / {demo.citizen_password}" in text
        assert accounts_after_first[demo.slug] == sorted(
            [
                (demo.admin_email, User.Role.ADMIN),
                (demo.citizen_email, User.Role.CITIZEN),
                (demo.neighbour_email, User.Role.CITIZEN),
            ]
        )
        # The printed logins work, each in its own town only.
        with tenant_context(tenant):
            assert authenticate(username=demo.admin_email, password=demo.admin_password)
            assert authenticate(username=demo.citizen_email, password=demo.citizen_password)
            assert authenticate(username=email, password=password) is None
    with schema_context(get_public_schema_name()):
        assert authenticate(username=email, password=password).is_vendor_staff
    assert len(first) == 1 + len(DEMO_TOWNS)


def demo_placements() -> dict[str, set[str]]:
    placements: dict[str, set[str]] = {}
    for component_type in registry:
        if component_type.demo is not None:
            placements.setdefault(component_type.demo.space_kind, set()).add(component_type.key)
    return placements


def test_demo_towns_show_real_content(platform, media_root):
    demo_seed()
    heroes = set()
    for demo in DEMO_TOWNS:
        with tenant_context(Tenant.objects.get(slug=demo.slug)):
            placed: dict[str, set[str]] = {}
            for space in Space.objects.filter(status=Space.Status.PUBLISHED):
                placed.setdefault(space.kind, set()).update(
                    component.type_key for component in space.components.all()
                )
            # Each module is where its registry entry says the demo shows it.
            assert placed == demo_placements()
            assert not Space.objects.filter(image__isnull=True).exists()
            # A call for ideas open now: ideas with pictures, some placed around the town.
            ideas = Component.objects.get(type_key="ideas")
            assert ideas.phase_allows("add")
            proposals = Proposal.objects.filter(component=ideas)
            assert proposals.filter(image__isnull=False).count() >= 5
            placed = proposals.exclude(latitude=None)
            assert placed.count() >= 3
            for proposal in placed:
                assert abs(proposal.latitude - demo.map_location.latitude) < Decimal("0.01")
                assert abs(proposal.longitude - demo.map_location.longitude) < Decimal("0.01")
            # A participatory budget whose vote is open: 10 000 € per neighbourhood.
            vote = Component.objects.get(type_key="budgets")
            assert vote.phase_allows("vote")
            budgets = Budget.objects.filter(component=vote)
            assert {budget.amount for budget in budgets} == {10_000}
            assert budgets.count() == 3
            # The quarters: three, and Pas-du-Lac for Montigny's second council.
            assert Neighbourhood.objects.count() == 3 + len(demo.extra_spaces)
            assert not Project.objects.filter(budget__in=budgets, image__isnull=True).exists()
            # A published homepage of its own.
            blocks = list(HomeBlock.objects.filter(published=True))
            assert blocks[0].kind == "hero" and blocks[0].image is not None
            assert len({block.kind for block in blocks}) >= 6
            heroes.add(blocks[0].title)
            assert Survey.objects.get().sections.count() >= 2
            assert Poll.objects.get().choices.count() >= 2
            assert NewsPost.objects.count() >= 2
            assert Document.objects.count() >= 1
            # The news' conversation, in each council's feed.
            councils = 1 + len(demo.extra_spaces)
            assert Comment.objects.filter(is_official=True).count() == councils
            assert Comment.objects.filter(parent__isnull=True).count() == 2 * councils
        page = html.unescape(
            client_for(Tenant.objects.get(slug=demo.slug)).get("/").content.decode()
        )
        assert "Mobilités douces en centre-ville" in page
        assert f"{demo.home_page.hero_title}</h1>" in page
        assert "480w" in page  # pictures in responsive sizes
    assert len(heroes) == len(DEMO_TOWNS)  # each town its own homepage
    with tenant_context(Tenant.objects.get(slug="montigny")):
        assert "10 000 € par quartier" in HomeBlock.objects.filter(published=True)[0].title


def test_demo_seed_fills_the_console_once(platform, settings):
    from billing.models import Invoice, Plan, Subscription
    from onboarding.training.models import TrainingInvitee
    from participation.usage.models import UsageSnapshot

    settings.STRIPE_SECRET_KEY = ""
    demo_seed()
    demo_seed()

    assert sorted(Plan.objects.values_list("code", flat=True)) == ["commune", "commune-budget"]
    subscription = Subscription.objects.get()
    assert subscription.tenant.slug == "montigny"
    assert subscription.mode == Subscription.Mode.MANUAL
    # The first year's invoice, then the prorated one for two neighbourhood-council spaces.
    assert Invoice.objects.filter(subscription=subscription).count() == 2
    assert TrainingInvitee.objects.filter(session__town__slug="montigny").count() == 3
    for demo in DEMO_TOWNS:
        with tenant_context(Tenant.objects.get(slug=demo.slug)):
            assert UsageSnapshot.objects.count() == 1


def test_demo_seed_never_subscribes_in_a_real_stripe_account(platform, settings):
    from billing.models import Subscription

    settings.STRIPE_SECRET_KEY = "sk_live_pas_pour_la_demo"
    demo_seed()

    assert not Subscription.objects.exists()
