import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.positions import next_position
from participation.models import Component
from tests.participation.factories import ComponentFactory, SpaceFactory


@pytest.fixture
def space(in_town_a):
    return SpaceFactory()


def _next(space) -> int:
    with transaction.atomic():
        return next_position(parent=space, items=Component.objects.filter(space=space))


def test_the_first_item_is_at_zero(space):
    assert _next(space) == 0


def test_after_the_last_position_even_after_a_deletion(space):
    for position in (0, 1, 2):
        ComponentFactory(space=space, position=position)
    Component.objects.get(space=space, position=1).delete()
    assert _next(space) == 3  # the count (2) would tie with the last one


def test_other_parents_items_do_not_count(space):
    ComponentFactory(position=7)
    assert _next(space) == 0


def test_the_parent_row_is_locked(space):
    with CaptureQueriesContext(connection) as queries:
        _next(space)
    assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)
