"""The participation dashboard, computed from real rows: comments and supports (the comments
app's data sources) on news posts."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from participation import dashboard
from participation.comments.models import Comment, Support
from participation.models import SpaceFollow
from participation.news.models import NewsPost
from participation.registry import DataSource, registry
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.factories import (
    ComponentFactory,
    ModeratorFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
    ProfileFactory,
    SpaceFactory,
)

WEEK = datetime.timedelta(weeks=1)


def resident(neighbourhood=None):
    user = UserFactory()
    ProfileFactory(user=user, neighbourhood=neighbourhood)
    return user


def post_in(component) -> NewsPost:
    return NewsPost.objects.create(
        component=component, title="Travaux", body="…", published_at=timezone.now()
    )


def comment(post: NewsPost, author, when=None) -> Comment:
    row = Comment.objects.create(
        component=post.component,
        content_type=ContentType.objects.get_for_model(NewsPost),
        object_id=post.pk,
        author=author,
        body="Bonne idée",
    )
    if when is not None:
        Comment.objects.filter(pk=row.pk).update(created_at=when)
    return row


def support(post: NewsPost, user) -> Support:
    return Support.objects.create(
        component=post.component,
        content_type=ContentType.objects.get_for_model(NewsPost),
        object_id=post.pk,
        user=user,
    )


def week_label(moment: datetime.datetime) -> str:
    day = timezone.localtime(moment).date()
    return (day - datetime.timedelta(days=day.weekday())).strftime("%d/%m")


def test_the_registered_share_is_citizens_over_population(in_town_a):
    before = dashboard.dashboard().registered
    for _ in range(4):
        UserFactory()
    UserFactory(email_verified_at=None)
    UserFactory(is_active=False)
    ModeratorFactory()
    connection.tenant.population = 1_000
    figures = dashboard.dashboard()
    assert figures.population == 1_000
    assert figures.registered == before + 5
    assert figures.registered_share == pytest.approx((before + 5) / 1_000)


def test_a_town_without_population_has_no_share(in_town_a):
    connection.tenant.population = 0
    assert dashboard.dashboard().registered_share is None


def test_contributions_per_space_neighbourhood_and_week(in_town_a):
    centre, gare = NeighbourhoodFactory(name="Centre"), NeighbourhoodFactory(name="Gare")
    NeighbourhoodFactory(name="Port")
    budget = SpaceFactory(title="Budget participatif")
    marche = SpaceFactory(title="Place du marché")
    budget_post = post_in(ComponentFactory(space=budget))
    marche_post = post_in(ComponentFactory(space=marche))
    alice, bruno, chloe = resident(centre), resident(centre), resident(gare)
    nomad = resident()
    now = timezone.now()
    comment(budget_post, alice)
    comment(budget_post, bruno, now - WEEK)
    comment(budget_post, chloe, now - WEEK)
    comment(marche_post, nomad)
    comment(marche_post, None)  # an account deleted since: counted, in no neighbourhood
    comment(marche_post, alice, now - 20 * WEEK)  # older than the 12 weeks shown
    support(budget_post, alice)
    support(budget_post, chloe)

    figures = dashboard.dashboard()
    assert figures.contributions == 8
    assert [(bar.label, bar.value) for bar in figures.per_space] == [
        ("Budget participatif", 5),
        ("Place du marché", 3),
    ]
    assert figures.per_space[0].share == 1
    assert figures.per_space[1].share == pytest.approx(3 / 5)
    assert [(bar.label, bar.value) for bar in figures.per_neighbourhood] == [
        ("Centre", 4),  # alice: 2 comments + 1 support; bruno: 1 comment
        ("Gare", 2),
        ("Port", 0),
    ]
    weeks = {bar.label: bar.value for bar in figures.per_week}
    this_week, last_week = week_label(now), week_label(now - WEEK)
    assert weeks == {last_week: 2, this_week: 5}
    assert [bar.label for bar in figures.per_week] == [last_week, this_week]


def test_a_data_source_registered_later_is_counted(in_town_a):
    space = SpaceFactory(title="Conseil du Centre")
    ComponentFactory(space=space)
    SpaceFollow.objects.create(user=ParticipantFactory(), space=space)
    key = "test-follows"
    registry.register_data_source(
        DataSource(
            key,
            contributions=lambda: SpaceFollow.objects.annotate(
                component_id=F("space__components__id"), author_id=F("user_id")
            ).values("component_id", "author_id", "created_at"),
        )
    )
    try:
        figures = dashboard.dashboard()
    finally:
        registry._sources.pop(key)
    assert figures.contributions == 1
    assert [(bar.label, bar.value) for bar in figures.per_space] == [("Conseil du Centre", 1)]
    assert dashboard.dashboard().contributions == 0


def test_the_dashboard_page_shows_the_figures(in_town_a, town_a):
    town_a.population = 200
    town_a.save(update_fields=["population"])
    existing = User.objects.filter(role=User.Role.CITIZEN, is_active=True).count()
    for _ in range(49 - existing):
        UserFactory()
    space = SpaceFactory(title="Budget participatif")
    comment(post_in(ComponentFactory(space=space)), resident())
    client = client_for(town_a)
    with tenant_context(town_a):
        client.force_login(ModeratorFactory())
    page = client.get("/gestion/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'figure-value">25&nbsp;%' in html  # 50 citizens out of 200 inhabitants
    assert "50 citoyens sur 200 habitants" in html
    assert "Budget participatif" in html
