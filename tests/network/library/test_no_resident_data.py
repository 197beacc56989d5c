"""A template copied from town A to town B creates in B's schema the structure of the space,
and nothing else: every row of B is compared before and after the copy."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django_tenants.utils import tenant_context

from network.library import services
from participation.models import Space
from tests.participation.blueprint_support import seed_demo_town, space_structure
from tests.participation.factories import AdminFactory, ParticipantFactory

pytestmark = pytest.mark.usefixtures("media_root")

# The only tables a copy may add rows to: the space, its components and phases, its picture,
# and the modules' structure. Nothing of residents, contributions, accounts or sessions.
STRUCTURE = {
    "participation.Space",
    "participation.Component",
    "participation.Phase",
    "participation.Image",
    "surveys.Survey",
    "surveys.Section",
    "surveys.Question",
    "surveys.Option",
    "polls.Poll",
    "polls.Choice",
    "ideas.Category",
    "budgets.Budget",
}


def _town_models() -> list[type[models.Model]]:
    """Every concrete model whose table lives in a town's schema (accounts included)."""
    labels = {c.label for c in apps.get_app_configs() if c.name in settings.TENANT_APPS}
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels and not model._meta.proxy
    ]


def _rows() -> dict[str, set[tuple]]:
    """Each table's rows, every column's value (JSON ones as text, to compare them)."""
    return {
        model._meta.label: {
            tuple(repr(value) for value in row)
            for row in model.objects.values_list(*[f.attname for f in model._meta.concrete_fields])
        }
        for model in _town_models()
    }


def test_a_copy_adds_only_structure_rows_to_the_target_town(town_a, town_b):
    with tenant_context(town_a):
        seed_demo_town()
        spaces = list(Space.objects.order_by("pk"))
        versions = [
            services.template_publish(
                actor=get_user_model().objects.get(email="mairie@source.test"),
                space_id=space.pk,
                title=space.title,
                description="Modèle",
                tags="démo",
            )
            for space in spaces
        ]
        sources = [space_structure(space) for space in spaces]
    with tenant_context(town_b):
        admin = AdminFactory(email="mairie@cible.test")
        ParticipantFactory(email="habitant@cible.test")
        before = _rows()
        copies = [services.template_copy(actor=admin, template_id=v.template_id) for v in versions]
        after = _rows()
        assert [space_structure(copy) for copy in copies] == sources

    changed = {label for label in after if after[label] != before[label]}
    assert changed <= STRUCTURE, changed - STRUCTURE
    assert {"participation.Space", "surveys.Question", "polls.Choice", "ideas.Category"} <= changed
    for label in changed:
        assert before[label] <= after[label], f"{label}: a row of B was changed or deleted"
    user_model = get_user_model()
    for label in changed:
        model = apps.get_model(label)
        pointing_to_accounts = [
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is user_model
        ]
        assert not pointing_to_accounts, f"{label} names an account"
    assert before["accounts.User"] == after["accounts.User"]


def test_the_target_town_knows_none_of_the_source_residents(town_a, town_b):
    with tenant_context(town_a):
        admin, _residents = seed_demo_town()
        space = Space.objects.get(kind=Space.Kind.BUDGET_CAMPAIGN)
        version = services.template_publish(
            actor=admin, space_id=space.pk, title="Budget", description="Modèle", tags=""
        )
    with tenant_context(town_b):
        services.template_copy(actor=AdminFactory(), template_id=version.template_id)
        emails = set(get_user_model().objects.values_list("email", flat=True))
        assert not emails & {"camille@source.test", "karim@source.test", "mairie@source.test"}
