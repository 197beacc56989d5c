"""The go-live checklist: each item turns from "to do" to "done" with what the town does."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from onboarding.checklist import golive_checklist
from onboarding.training.models import TrainingSession
from participation.models import Space
from tests.onboarding.training.factories import TrainingInviteeFactory, TrainingSessionFactory
from tests.participation.factories import SpaceFactory
from theming.models import LegalPage, SiteTheme


def theme_set(town):
    with tenant_context(town):
        SiteTheme.objects.create(logo="theme/logo.png")


def legal_page_published(kind, conformity=""):
    def make(town):
        with tenant_context(town):
            LegalPage.objects.create(
                kind=kind, body="Éditeur : la mairie.", conformity=conformity,
                published_at=timezone.now(),
            )  # fmt: skip

    return make


def space_published(town):
    with tenant_context(town):
        SpaceFactory(status=Space.Status.PUBLISHED)


def session_attended(town):
    session = TrainingSessionFactory(
        town=town,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        status=TrainingSession.Status.DONE,
    )
    TrainingInviteeFactory(session=session, attended=True)


STEPS = {
    "theme": theme_set,
    "legal_notice": legal_page_published(LegalPage.Kind.LEGAL_NOTICE),
    "accessibility": legal_page_published(
        LegalPage.Kind.ACCESSIBILITY, conformity=LegalPage.Conformity.NONE
    ),
    "first_space": space_published,
    "training": session_attended,
}


def states(town) -> dict[str, bool]:
    return {item.key: item.done for item in golive_checklist(town)}


def test_a_new_town_has_everything_to_do(town_a):
    checklist = golive_checklist(town_a)
    assert [item.key for item in checklist] == list(STEPS)
    assert checklist.done_count == 0
    assert not checklist.complete


@pytest.mark.parametrize("key", list(STEPS))
def test_each_item_is_done_by_its_own_step_in_its_own_town(town_a, town_b, key):
    STEPS[key](town_a)

    assert states(town_a) == {name: name == key for name in STEPS}
    assert not any(states(town_b).values())


def test_drafts_do_not_count(town_a):
    with tenant_context(town_a):
        SiteTheme.objects.create(primary_colour="#000000")  # colours but no logo
        LegalPage.objects.create(kind=LegalPage.Kind.LEGAL_NOTICE, body="Brouillon")
        SpaceFactory(status=Space.Status.DRAFT, published_at=None)
    TrainingInviteeFactory(session__town=town_a, attended=None)  # planned, not yet held

    assert not any(states(town_a).values())


def test_all_done_and_links_to_the_back_office(town_a):
    for step in STEPS.values():
        step(town_a)

    checklist = golive_checklist(town_a)
    assert checklist.complete
    links = {item.key: item.link for item in checklist}
    assert links["theme"] == "/gestion/site/theme/"
    assert links["legal_notice"] == "/gestion/site/pages/mentions-legales/"
    assert links["accessibility"] == "/gestion/site/pages/accessibilite/"
    assert links["first_space"] == "/gestion/espaces/"
    assert {item.key: item.detail for item in checklist}["training"] == "1 personne formée"
