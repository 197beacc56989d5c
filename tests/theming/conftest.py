import pytest
from django_tenants.utils import schema_context, tenant_context

from tenants.services import schema_name_for
from tests.conftest import TOWN_A, TOWN_B
from tests.participation.documents.conftest import media_root  # noqa: F401  (autouse)
from theming.selectors import legal_links_forget, site_theme_forget


def _forget_theming_caches() -> None:
    for slug in (TOWN_A, TOWN_B):
        with schema_context(schema_name_for(slug)):
            site_theme_forget()
            legal_links_forget()


@pytest.fixture(autouse=True)
def theming_caches_forgotten():
    """Redis and the process cache are not rolled back with the test's transaction: each test
    starts and ends with no cached theme or footer links in either town."""
    _forget_theming_caches()
    yield
    _forget_theming_caches()


@pytest.fixture
def in_town_a(town_a):
    with tenant_context(town_a):
        yield town_a
