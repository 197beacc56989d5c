"""A deleted town leaves nothing in the cache that a new town of the same slug could show."""

from django.core.cache import cache
from django_tenants.utils import tenant_context

from onboarding.offboarding import town_erase
from tenants.cache import PURGE_BATCH, town_cache_purge
from tenants.models import Tenant
from tenants.services import town_create


def _keys_in(town, count: int) -> None:
    with tenant_context(town):
        cache.set_many({f"purge-test:{n}": n for n in range(count)}, 60)


def _count_in(town, count: int) -> int:
    with tenant_context(town):
        return len(cache.get_many([f"purge-test:{n}" for n in range(count)]))


def test_purge_deletes_one_towns_keys_only(town_a, town_b):
    count = PURGE_BATCH + 20  # more than one batch
    town_cache_purge(town_a.schema_name)  # what earlier tests of the run left in the cache
    _keys_in(town_a, count)
    _keys_in(town_b, 3)

    assert town_cache_purge(town_a.schema_name) == count

    assert _count_in(town_a, count) == 0
    assert _count_in(town_b, 3) == 3
    town_cache_purge(town_b.schema_name)


def test_erasing_a_town_purges_its_cache_after_commit(db, django_capture_on_commit_callbacks):
    town = town_create(
        slug="ville-effacee", name="Ville effacée", kind=Tenant.Kind.COMMUNE, population=10
    ).tenant
    _keys_in(town, 2)

    with django_capture_on_commit_callbacks(execute=True):
        town_erase(tenant=town)

    assert _count_in(town, 2) == 0
